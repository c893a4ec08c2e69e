import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, OperationDefinitionNode } from 'graphql';
import { RequestContext } from '../context/request-context';
import { MetricsService } from './metrics.service';

/** The `operation` label: the operation's name, else its root fields ('login', 'me+rounds'). */
export function operationLabel(operationName: string | null | undefined, operation: OperationDefinitionNode | undefined): string {
  if (operationName && /^[_A-Za-z][_0-9A-Za-z]{0,63}$/.test(operationName)) return operationName;
  if (!operation) return '(unparsed)';
  const fields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
  return fields.length ? [...new Set(fields)].sort().join('+').slice(0, 120) : '(anonymous)';
}

/** Counts and times every GraphQL operation by operation, type and outcome (ok, or the first error's code). */
export function metricsPlugin(metrics: MetricsService): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, operationName, response }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const outcome = errors?.length ? String((errors[0].extensions?.code as string | undefined) ?? 'INTERNAL') : 'ok';
          metrics.observeOperation(operationLabel(operationName, operation), operation?.operation ?? 'unknown', outcome, seconds);
        },
      };
    },
  };
}
