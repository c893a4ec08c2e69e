import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { ApolloServerPlugin } from '@apollo/server';

/**
 * The GraphQL IDE (GraphiQL), served from the app's own installed packages so it loads with no internet
 * access. Only these files are exposed, nothing else of node_modules.
 */
const ASSETS: Record<string, { module: string; type: string }> = {
  'react.js': { module: 'react/umd/react.production.min.js', type: 'application/javascript' },
  'react-dom.js': { module: 'react-dom/umd/react-dom.production.min.js', type: 'application/javascript' },
  'graphiql.js': { module: 'graphiql/graphiql.min.js', type: 'application/javascript' },
  'graphiql.css': { module: 'graphiql/graphiql.min.css', type: 'text/css' },
};

@Controller('graphiql')
export class GraphiqlAssetsController {
  @Get(':file')
  @Header('Cache-Control', 'public, max-age=86400')
  asset(@Param('file') file: string, @Res() res: Response) {
    const asset = ASSETS[file];
    if (!asset) throw new NotFoundException();
    res.type(asset.type).sendFile(require.resolve(asset.module));
  }
}

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8" />
  <title>VBP platform · GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/graphiql.css" />
  <style>html, body, #ide { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="ide"></div>
  <script src="/graphiql/react.js"></script>
  <script src="/graphiql/react-dom.js"></script>
  <script src="/graphiql/graphiql.js"></script>
  <script>
    // Paste an access token from the login mutation into the Headers tab: {"Authorization": "Bearer …"}
    const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
    ReactDOM.createRoot(document.getElementById('ide')).render(React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }));
  </script>
</body>
</html>`;

/** Apollo landing page plugin: GET /graphql in a browser opens the IDE. */
export function graphiqlLandingPage(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: PAGE };
        },
      };
    },
  };
}
