import { DataSource } from 'typeorm';
import { JobsService } from '../jobs/jobs.service';
import { MetricsService } from './metrics.service';

function service(queues: { name: string; queued: number; active: number; deferred: number }[]) {
  const dataSource = { isInitialized: true, driver: { master: { totalCount: 5, idleCount: 3, waitingCount: 1, options: { max: 20 } } } } as unknown as DataSource;
  const jobs = { queueStats: async () => queues } as unknown as JobsService;
  return new MetricsService(dataSource, jobs);
}

describe('MetricsService', () => {
  it('reports the pool, the job queue and running long jobs as of the scrape', async () => {
    const metrics = service([{ name: 'monitoring-run', queued: 4, active: 1, deferred: 2 }]);
    let running = [{ id: 'run-1', done: 3, total: 12 }];
    metrics.registerProgress('monitoring_run', async () => running);
    let text = await metrics.render();
    expect(text).toContain('vbp_db_pool_connections{state="total"} 5');
    expect(text).toContain('vbp_db_pool_connections{state="idle"} 3');
    expect(text).toContain('vbp_db_pool_connections{state="waiting"} 1');
    expect(text).toContain('vbp_db_pool_connections{state="max"} 20');
    expect(text).toContain('vbp_job_queue_jobs{queue="monitoring-run",state="queued"} 4');
    expect(text).toContain('vbp_job_queue_jobs{queue="monitoring-run",state="active"} 1');
    expect(text).toContain('vbp_job_queue_jobs{queue="monitoring-run",state="deferred"} 2');
    expect(text).toContain('vbp_long_jobs_running{kind="monitoring_run"} 1');
    expect(text).toContain('vbp_long_job_done{kind="monitoring_run",id="run-1"} 3');
    expect(text).toContain('vbp_long_job_total{kind="monitoring_run",id="run-1"} 12');
    expect(text).toContain('vbp_long_job_progress_ratio{kind="monitoring_run",id="run-1"} 0.25');
    // a finished job leaves the gauges
    running = [];
    text = await metrics.render();
    expect(text).toContain('vbp_long_jobs_running{kind="monitoring_run"} 0');
    expect(text).not.toContain('id="run-1"');
  });

  it('counts operations by name and outcome, and caps the distinct operation labels', async () => {
    const metrics = service([]);
    metrics.observeOperation('placeOrder', 'mutation', 'ok', 0.02);
    metrics.observeOperation('placeOrder', 'mutation', 'VALIDATION_FAILED', 0.01);
    for (let i = 0; i < 400; i++) metrics.observeOperation(`op${i}`, 'query', 'ok', 0.001);
    const text = await metrics.render();
    expect(text).toContain('vbp_graphql_requests_total{operation="placeOrder",type="mutation",outcome="ok"} 1');
    expect(text).toContain('vbp_graphql_requests_total{operation="placeOrder",type="mutation",outcome="VALIDATION_FAILED"} 1');
    expect(text).toContain('vbp_graphql_request_duration_seconds_bucket{le="0.025",operation="placeOrder",type="mutation",outcome="ok"} 1');
    expect(text).toContain('vbp_graphql_requests_total{operation="other",type="query",outcome="ok"} 101');
  });
});
