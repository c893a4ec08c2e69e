import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { RequestContext } from '../context/request-context';

/** The per-request context (caller, request id, loaders) as a resolver argument. */
export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext =>
  GqlExecutionContext.create(context).getContext<RequestContext>(),
);
