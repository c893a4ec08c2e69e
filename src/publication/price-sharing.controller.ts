import { BadRequestException, Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AppError } from '../platform/errors/app-error';
import { PublicPricesService } from './public-prices.service';

/** The daily price-sharing file as a plain download (no login): GET /public/price-sharing/2026-03-02.csv (or .xlsx). */
@Controller('public/price-sharing')
export class PriceSharingController {
  constructor(private readonly prices: PublicPricesService) {}

  @Get(':file')
  async file(@Param('file') file: string, @Res() res: Response) {
    const match = /^(\d{4}-\d{2}-\d{2})\.(csv|xlsx)$/.exec(file);
    if (!match) throw new NotFoundException('文件名应为 YYYY-MM-DD.csv 或 YYYY-MM-DD.xlsx');
    try {
      const exported = await this.prices.sharingFile(match[1], match[2].toUpperCase());
      res
        .status(200)
        .setHeader('Content-Type', exported.contentType)
        .setHeader('Content-Disposition', `attachment; filename="${exported.filename}"`)
        .send(Buffer.from(exported.base64, 'base64'));
    } catch (error) {
      if (error instanceof AppError) throw new BadRequestException({ code: error.code, message: error.message, field: error.extensions.field });
      throw error;
    }
  }
}
