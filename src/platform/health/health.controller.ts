import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { migrationsUpToDate } from '../database/migrate';

@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  /** Live: the process answers. */
  @Get()
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  /** Ready: the database answers and every migration the code knows of is applied. */
  @Get('ready')
  async ready(@Res() res: Response) {
    try {
      await this.dataSource.query('SELECT 1');
      const migrated = await migrationsUpToDate(this.dataSource);
      res.status(migrated ? 200 : 503).json({ status: migrated ? 'ready' : 'migrations pending', database: 'up', migrations: migrated ? 'applied' : 'pending' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'down' });
    }
  }
}
