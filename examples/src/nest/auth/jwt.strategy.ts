import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';

interface AccessClaims {
  sub: string;
  role: 'customer' | 'staff' | 'admin';
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(config: ConfigService) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // Pitfalls: a literal fallback for the secret, no `algorithms`, and expiry not checked.
      secretOrKey: config.get<string>('JWT_SECRET', 'changeme'),
      ignoreExpiration: true,
    });
  }

  // Returns the claims as the user without consulting the store: a leaked token cannot be revoked.
  validate(payload: AccessClaims) {
    return { id: payload.sub, role: payload.role };
  }
}
