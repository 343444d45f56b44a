// workflow-start-before-commit (TypeScript): a start (direct, in the client's withDeadline, or
// through a project wrapper that hands its parameter to the start, one or two functions up) in a
// transaction callback after a write on its client (Prisma, TypeORM, Knex, Drizzle, Sequelize,
// Kysely), or between a write on a client whose transaction the function opened and its commit
// (TypeORM's query runner, raw BEGIN / COMMIT), with the written row in the workflow's args or id.
// Nothing for a start after the callback returns, an input that names nothing written, a write in
// a branch of its own, a start in a catch clause, a commit before the start, a statement without
// a transaction, a locking read, a Sequelize write not given the transaction, a read in the
// transaction, or a `.transaction` whose client makes no recognised write.
import { beforeAll, describe, expect, it } from 'vitest';
import startBeforeCommit from '../../../src/checks/retries/workflow-start-before-commit.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';
import type { Finding } from '../../../src/engine/types.js';

let review: FixtureReview;
let findings: Finding[];

beforeAll(() => {
  review = fixtureReview('ts-start-before-commit');
  findings = review.run(startBeforeCommit);
}, 120_000);

const at = (file: string, line: number) => findings.find((f) => f.file === file && f.line === line)!;

describe('workflow-start-before-commit (TypeScript)', () => {
  it('reports starts after an uncommitted write of the row, and nothing else', () => {
    expect(where(findings)).toEqual([
      'workflow-start-before-commit warning src/drizzle-deadline.ts:15',
      'workflow-start-before-commit warning src/kysely-orders.ts:9',
      'workflow-start-before-commit warning src/other-orms.ts:17',
      'workflow-start-before-commit warning src/other-orms.ts:25',
      'workflow-start-before-commit warning src/other-orms.ts:44',
      'workflow-start-before-commit warning src/other-orms.ts:51',
      'workflow-start-before-commit warning src/other-orms.ts:58',
      'workflow-start-before-commit warning src/pg-orders.ts:9',
      'workflow-start-before-commit warning src/prisma-orders.ts:11',
      'workflow-start-before-commit warning src/prisma-orders.ts:18',
      'workflow-start-before-commit warning src/prisma-orders.ts:25',
    ]);
  });

  it('words a Prisma transaction callback like the Python check words a transaction block', () => {
    const finding = at('src/prisma-orders.ts', 11);
    expect(finding.message).toContain(
      'createOrder starts fulfilOrder with order.id after `tx.order.create({ data: { customerId, status: \'new\' } })` (line 9) and inside `prisma.$transaction(async (tx) => ...)` (line 8), which commits only when the callback returns: the write is not committed yet when the workflow starts.',
    );
    expect(finding.message).toContain('when the commit fails or the transaction rolls back');
    expect(finding.fix).toContain('Commit first, then start the workflow');
    expect(finding.related?.map((r) => `${r.line} ${r.message}`)).toEqual(['9 the write that is not committed yet', '8 the transaction, committed when the callback returns']);
  });

  it('follows the start through one or two project functions that hand it their parameter', () => {
    expect(at('src/prisma-orders.ts', 18).message).toContain('createOrderThroughWrapper starts fulfilOrder (client.workflow.start in startFulfilment, temporal.ts:7) with order.id');
    expect(at('src/other-orms.ts', 51).message).toContain('drizzleCallback starts fulfilOrder (client.workflow.start in startFulfilment, temporal.ts:7, through scheduleFulfilment) with created.id after `tx.insert(orders).values({ customerId }).returning()` (line 50)');
    expect(at('src/kysely-orders.ts', 9).message).toContain('kyselyCallback starts fulfilOrder (client.workflow.start in startWorkflow, temporal.ts:16) with `fulfil-${id}`');
  });

  it('reads the row of an update from its where, and signalWithStart as a start', () => {
    expect(at('src/prisma-orders.ts', 25).message).toContain('approve starts approveOrder with orderId after `tx.order.update({ where: { id: orderId }, data: { status: \'approved\' } })` (line 24)');
  });

  it('reads a start the client runs in place (withDeadline) and a write chained over several lines', () => {
    expect(at('src/drizzle-deadline.ts', 15).message).toContain(
      "startWithDeadline starts fulfilOrder with { orderId: created!.id } after `tx.insert(orders).values({ customerId }).returning().then(first)` (line 10) and inside `db.transaction(async (tx) => ...)` (line 9)",
    );
  });

  it('reads TypeORM, Knex, Sequelize and raw SQL transactions', () => {
    expect(at('src/other-orms.ts', 17).message).toContain('with saved.id after `manager.save(Order, { customerId })` (line 16) and inside `dataSource.transaction(async (manager) => ...)` (line 15)');
    expect(at('src/other-orms.ts', 25).message).toContain('typeormQueryRunner starts fulfilOrder with order.id after `queryRunner.manager.save(order)` (line 24) and before `queryRunner.commitTransaction()` (line 26)');
    expect(at('src/other-orms.ts', 44).message).toContain("with row.id after `trx('orders').insert({ customer_id: customerId }).returning('*')` (line 43) and inside `knex.transaction(async (trx) => ...)` (line 42)");
    expect(at('src/other-orms.ts', 58).message).toContain('with order.id after `OrderModel.create({ customerId }, { transaction: t })` (line 57) and inside `sequelize.transaction(async (t) => ...)` (line 56)');
    expect(at('src/pg-orders.ts', 9).message).toContain("insertAndStart starts fulfilOrder with result.rows[0].id after `pg.query('INSERT INTO orders (customer_id) VALUES ($1) RETURNING id'");
    expect(at('src/pg-orders.ts', 9).message).toContain("and before `pg.query('COMMIT')` (line 10)");
  });
});
