import { timingSafeEqual } from 'crypto';
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MetricsService } from './metrics.service';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * GET /metrics in Prometheus text format. Not public: with METRICS_TOKEN set it needs
 * `Authorization: Bearer <METRICS_TOKEN>`; without it only loopback callers are answered (req.ip, so a
 * request relayed by a local proxy with X-Forwarded-For counts as coming from its real client).
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(@Req() req: Request, @Res() res: Response) {
    if (!this.allowed(req)) {
      res.status(403).json({ errors: [{ message: '无权读取运行指标', extensions: { code: 'FORBIDDEN' } }] });
      return;
    }
    const body = await this.metrics.render();
    res.setHeader('Cache-Control', 'no-store');
    res.type(this.metrics.contentType).send(body);
  }

  private allowed(req: Request): boolean {
    const token = this.config.metricsToken;
    if (token) {
      const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      if (!match) return false;
      const given = Buffer.from(match[1]);
      const expected = Buffer.from(token);
      return given.length === expected.length && timingSafeEqual(given, expected);
    }
    return LOOPBACK.test(req.ip ?? '');
  }
}
