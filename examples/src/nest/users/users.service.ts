import { Injectable } from '@nestjs/common';

export interface User {
  id: string;
  email: string;
  role: 'customer' | 'staff' | 'admin';
  passwordHash: string;
  resetToken?: string;
}

@Injectable()
export class UsersService {
  private readonly users = new Map<string, User>();

  async findByEmail(email: string): Promise<User | undefined> {
    return [...this.users.values()].find((u) => u.email === email.toLowerCase());
  }

  async findById(id: string): Promise<User | undefined> {
    return this.users.get(id);
  }
}
