import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { JwtStrategy } from './auth/jwt.strategy';
import { InvoicesController } from './invoices/invoices.controller';
import { InvoicesService } from './invoices/invoices.service';
import { UsersService } from './users/users.service';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    PassportModule.register({ defaultStrategy: 'jwt' }),
    // Pitfalls: a short, guessable literal secret and a 30-day access token lifetime.
    JwtModule.register({
      secret: 'billing-secret',
      signOptions: { expiresIn: '30d' },
    }),
  ],
  controllers: [AuthController, InvoicesController],
  providers: [AuthService, JwtStrategy, InvoicesService, UsersService],
})
export class BillingModule {}
