import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as bcrypt from 'bcrypt';
import { UsersService } from '../users/users.service';

@Injectable()
export class AuthService {
  constructor(private readonly users: UsersService, private readonly jwt: JwtService) {}

  async login(email: string, password: string) {
    const user = await this.users.findByEmail(email);
    if (!user || !(await bcrypt.compare(password, user.passwordHash))) throw new UnauthorizedException();
    // Pitfall: the whole user row (password hash, reset token) is spread into the token payload.
    return { accessToken: await this.jwt.signAsync({ ...user }) };
  }

  async loginSafely(email: string, password: string) {
    const user = await this.users.findByEmail(email);
    if (!user || !(await bcrypt.compare(password, user.passwordHash))) throw new UnauthorizedException();
    return { accessToken: await this.jwt.signAsync({ sub: user.id, role: user.role }, { expiresIn: '15m' }) };
  }

  async introspect(token: string) {
    // Pitfall: no algorithms here, and the module sets no verifyOptions either.
    const claims = await this.jwt.verifyAsync<{ sub: string }>(token);
    return this.users.findById(claims.sub);
  }
}
