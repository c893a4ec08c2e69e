import { existsSync } from 'fs';
import { join } from 'path';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';

/**
 * The pages people open in a browser: the regulators' cockpit (/console) and the public portal (/public).
 * Plain HTML and a little JavaScript from `src/platform/web/pages`, and ECharts from the app's own
 * node_modules, so they work with no internet access. Only the files named here are served.
 */
const FILES: Record<string, { file: string; type: string }> = {
  'app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  'common.js': { file: 'common.js', type: 'application/javascript; charset=utf-8' },
  'console.js': { file: 'console.js', type: 'application/javascript; charset=utf-8' },
  'public.js': { file: 'public.js', type: 'application/javascript; charset=utf-8' },
};

/** Scripts, styles, images and requests from this origin only; nothing inline but style attributes (ECharts' tooltips). */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** The pages beside this controller (`npm run build` copies them next to the compiled one). */
function webRoot(): string {
  const root = join(__dirname, 'pages');
  if (!existsSync(join(root, 'console.html'))) throw new Error(`web pages not found in ${root}`);
  return root;
}

function send(res: Response, path: string, type: string, cache: string): void {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', cache);
  res.type(type).sendFile(path);
}

@Controller()
export class WebPagesController {
  private readonly root = webRoot();

  @Get('console')
  console(@Res() res: Response) {
    send(res, join(this.root, 'console.html'), 'text/html; charset=utf-8', 'no-cache');
  }

  @Get('public')
  publicPortal(@Res() res: Response) {
    send(res, join(this.root, 'public.html'), 'text/html; charset=utf-8', 'no-cache');
  }

  @Get('web/:file')
  asset(@Param('file') file: string, @Res() res: Response) {
    if (file === 'echarts.min.js') return send(res, require.resolve('echarts/dist/echarts.min.js'), 'application/javascript; charset=utf-8', 'public, max-age=86400');
    const asset = FILES[file];
    if (!asset) throw new NotFoundException();
    send(res, join(this.root, asset.file), asset.type, 'no-cache');
  }
}
