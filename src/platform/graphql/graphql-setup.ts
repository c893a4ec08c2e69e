import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import type { Request } from 'express';
import { AppConfig } from '../config/app-config';
import { TokenService } from '../auth/token.service';
import { RequestContext } from '../context/request-context';
import { logger } from '../logging/logger';
import { DateTimeScalarType } from './scalars';
import { formatError } from './format-error';
import { localizedMessage, preferredLanguage } from '../errors/error-language';
import { graphiqlLandingPage } from './graphiql';
import { Loaders } from './loaders';
import { MAX_DOCUMENT_TOKENS, queryLimitsRule } from './query-limits';
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, Kind, visit } from 'graphql';
import { HttpException } from '@nestjs/common';
import { AppError } from '../errors/app-error';
import { currentRequestId, requestIdFrom } from '../context/request-scope';
import { bodyLimitPlugin } from '../http/body-limits';
import { MetricsService } from '../metrics/metrics.service';
import { metricsPlugin } from '../metrics/metrics.plugin';
import { RateLimiter, rateLimitPlugin } from '../rate-limit/rate-limiter';
import { enforceReadPolicyOnFieldResolvers, ReadPolicyEnforcer } from '../auth/read-policy.interceptor';

const MAX_ALIASES = 50;

/** Logs one line per operation: user, operation name, duration and error codes (the request id comes from the request scope); never variables. */
function operationLogPlugin(production: boolean): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = Date.now();
      return {
        async didResolveOperation({ document }) {
          if (!production || contextValue.user) return;
          let introspects = false;
          visit(document, {
            [Kind.FIELD]: (node) => {
              if (node.name.value === '__schema' || node.name.value === '__type') introspects = true;
            },
          });
          if (introspects) {
            throw new GraphQLError('Introspection needs a login in production', {
              extensions: { code: 'INTROSPECTION_DISABLED', http: { status: 400 } },
            });
          }
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            const known = original instanceof AppError || original instanceof HttpException || (error.extensions?.code && error.extensions.code !== 'INTERNAL_SERVER_ERROR');
            if (!known) logger.error({ err: original, requestId: contextValue.requestId, path: error.path }, 'unexpected error in a GraphQL operation');
          }
        },
        async willSendResponse({ operationName, response, errors }) {
          // zh-CN or English by Accept-Language; without one, each refusal keeps the message it was given
          const language = preferredLanguage(contextValue.req?.headers['accept-language']);
          if (response.body.kind === 'single') {
            for (const error of response.body.singleResult.errors ?? []) {
              if (error.extensions?.code === 'INTERNAL') {
                (error as { message: string }).message = `Internal error (request ${contextValue.requestId})`;
                (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
              } else if (language && typeof error.extensions?.code === 'string') {
                (error as { message: string }).message = localizedMessage(error.extensions.code, error.message, language);
              }
            }
          }
          const codes = (errors ?? []).map((e) => e.extensions?.code ?? 'INTERNAL');
          logger.info(
            {
              // inside the request scope the logger adds it to every line; an app built without configureHttp has none
              ...(currentRequestId() ? {} : { requestId: contextValue.requestId }),
              user: contextValue.user?.username ?? null,
              operation: operationName ?? null,
              ms: Date.now() - started,
              errors: codes.length ? codes : undefined,
              kind: response.body.kind,
            },
            'graphql',
          );
        },
      };
    },
  };
}

export function buildContext(req: Request, tokens: TokenService): RequestContext {
  // the HTTP layer chose it (and answered it in x-request-id); an app without that layer picks its own
  const requestId = currentRequestId() ?? requestIdFrom(req.headers['x-request-id']);
  const ctx: RequestContext = { requestId, user: null, authError: null, loaders: new Loaders(), req };
  const authorization = req.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization);
    const verdict = match ? tokens.verifyAccessToken(match[1]) : { error: 'The Authorization header must be "Bearer <token>"' };
    if ('user' in verdict) ctx.user = verdict.user;
    else ctx.authError = verdict.error;
  }
  return ctx;
}

export interface GraphqlDependencies {
  tokens: TokenService;
  /** The read policy for field resolvers (root resolvers have ReadPolicyInterceptor). */
  readPolicy: ReadPolicyEnforcer;
  metrics: MetricsService;
  rateLimiter: RateLimiter;
}

export function graphqlOptions(config: AppConfig, { tokens, metrics, rateLimiter, readPolicy }: GraphqlDependencies): ApolloDriverConfig {
  const production = config.nodeEnv === 'production';
  // the schema is generated in memory; `npm run schema:write` writes schema.gql (see src/cli/schema-cli.ts)
  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    playground: false,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: production,
    buildSchemaOptions: { dateScalarMode: 'isoDate', scalarsMap: [{ type: Date, scalar: DateTimeScalarType }] },
    plugins: [
      ...(production ? [] : [graphiqlLandingPage()]),
      metricsPlugin(metrics),
      operationLogPlugin(production),
      bodyLimitPlugin(),
      rateLimitPlugin(rateLimiter),
    ] as ApolloServerPlugin[],
    context: ({ req }: { req: Request }) => buildContext(req, tokens),
    // an oversized document stops at the lexer (GRAPHQL_PARSE_FAILED), before any validation runs
    parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
    validationRules: [queryLimitsRule({ maxDepth: config.graphqlMaxDepth, maxCost: config.graphqlMaxCost, maxAliases: MAX_ALIASES })],
    formatError,
    // every path to a type is guarded: root resolvers by ReadPolicyInterceptor, field resolvers by this wrapper
    transformSchema: (schema) => enforceReadPolicyOnFieldResolvers(schema, readPolicy),
  };
}
