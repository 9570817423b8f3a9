import { Injectable, NotFoundException } from '@nestjs/common';

export interface Invoice {
  id: string;
  customerId: string;
  total: number;
  currency: string;
  issuedAt: Date;
}

@Injectable()
export class InvoicesService {
  private readonly invoices: Invoice[] = [];

  listFor(customerId: string): Invoice[] {
    return this.invoices.filter((i) => i.customerId === customerId);
  }

  findFor(customerId: string, id: string): Invoice {
    const invoice = this.invoices.find((i) => i.id === id && i.customerId === customerId);
    if (!invoice) throw new NotFoundException();
    return invoice;
  }
}
