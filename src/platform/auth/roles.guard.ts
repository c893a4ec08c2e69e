import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AppError } from '../errors/app-error';
import { RequestContext } from '../context/request-context';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { Role } from './roles';

/** Deny by default: a resolver that declares neither @Public nor @Roles is refused for everyone. */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly logger = new Logger(RolesGuard.name);

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() !== 'graphql') return true; // REST endpoints (health, IDE assets) are public
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    const ctx = GqlExecutionContext.create(context).getContext<RequestContext>();
    if (!roles) {
      this.logger.error(`${context.getClass().name}.${context.getHandler().name} declares no roles; denied`);
      throw new AppError('FORBIDDEN', 'This operation is not open to any role');
    }
    if (!ctx.user) {
      throw new AppError('UNAUTHENTICATED', ctx.authError ?? 'Log in first: this operation needs an access token');
    }
    if (!roles.includes(ctx.user.role)) {
      throw new AppError('FORBIDDEN', `Role ${ctx.user.role} may not perform this operation`);
    }
    return true;
  }
}
