import { Module } from '@nestjs/common';
import { ChangeFeedService } from './change-feed.service';
import { EventsResolver } from './events.resolver';
import { WebhooksService } from './webhooks.service';

/** The change feed and its signed webhooks (docs/change-feed.md). */
@Module({
  providers: [ChangeFeedService, WebhooksService, EventsResolver],
  exports: [ChangeFeedService, WebhooksService],
})
export class EventsModule {}
