import { Controller, Get, Param, ParseUUIDPipe, Req, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { InvoicesService } from './invoices.service';

interface AuthedRequest {
  user: { id: string; role: string };
}

@Controller('invoices')
@UseGuards(AuthGuard('jwt'))
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Get()
  list(@Req() req: AuthedRequest) {
    return this.invoices.listFor(req.user.id);
  }

  @Get(':id')
  findOne(@Req() req: AuthedRequest, @Param('id', ParseUUIDPipe) id: string) {
    return this.invoices.findFor(req.user.id, id);
  }
}
