// Prevents activities that lose their input when the next one runs on another worker: one activity
// writes a file or directory on the worker's own disk and another activity, scheduled on the same
// task queue, reads or removes the same path. Any worker polling the queue may run the second one,
// or this worker may have restarted in between: the file is not there.
// Warning when one activity writes the path and another reads it; info when the writing is only
// likely (the path is handed to a library call the review cannot classify) or the other activity
// only removes it.
// It also reads workflow code: a local path the workflow builds and passes to two activities or
// child workflows, or a local path one activity makes and returns that the workflow passes to
// another (python-path-handoffs.ts, typescript/path-handoffs.ts), reported at the later call.

import { defineCheck } from '../define-check.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { relativePath } from '../../model/typescript/locate.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { localPathHandoffsOf } from '../../model/typescript/path-handoffs.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import type { ActivityImplementationFacts, ActivityProxyFacts, LocalPathHandoff, LocalPathReceiver, LocalPathUse, SourceLocation, StaticValue } from '../../model/types.js';

interface PathGroup {
  path: string;
  declaration: SourceLocation;
  uses: { activity: ActivityImplementationFacts; use: LocalPathUse }[];
}

/** The task queue an activity call names, `default` when it names none (the workflow's own queue), undefined when it is computed. */
function queueOf(proxy: ActivityProxyFacts): string | undefined {
  const options = proxy.options as StaticValue;
  if (options.kind !== 'object') return options.kind === 'undefined' ? 'default' : undefined;
  const queue = options.properties.get('taskQueue');
  if (!queue) return options.unknownSpreads.length > 0 ? undefined : 'default';
  return queue.kind === 'string' ? `queue:${queue.value}` : undefined;
}

export default defineCheck({
  id: 'activity-local-file-handoff',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: "One activity writes a file on the worker's local disk (or the workflow hands such a path from one activity to another) and another activity on the same task queue reads it: any worker may run the second one, where the file is not there.",
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const proxies = (model.activityProxies as ActivityProxyFacts[]).filter((proxy) => !proxy.testOnly);
    /** The queues the workflows schedule an activity on; undefined when one is computed or it is never scheduled. */
    const queuesOf = (name: string): Set<string> | undefined => {
      const queues = new Set<string>();
      for (const proxy of proxies) {
        if (proxy.usedActivityTypes === 'all') continue;
        if (!proxy.usedActivityTypes.some((use) => use.name === name)) continue;
        const queue = queueOf(proxy);
        if (queue === undefined) return undefined;
        queues.add(queue);
      }
      return queues.size > 0 ? queues : undefined;
    };
    const groups = new Map<string, PathGroup>();
    for (const activity of model.activities as ActivityImplementationFacts[]) {
      for (const use of activity.localPaths ?? []) {
        // A file under the path (`os.path.join(dump_dir, "a.xml")`) belongs to the path where it is built.
        const key = `${use.declaration.file}:${use.declaration.line}:${use.declaration.column}`;
        const group = groups.get(key) ?? { path: use.path, declaration: use.declaration, uses: [] };
        if (use.path.length < group.path.length) group.path = use.path;
        group.uses.push({ activity, use });
        groups.set(key, group);
      }
    }
    // Activities that each build the same path from their input (`f"drafts/{draft_id}.txt"`) use one
    // file, and a file under a directory another one builds (`${dir}/source.mp4`) belongs to it.
    const byPath = new Map<string, PathGroup>();
    for (const group of [...groups.values()].sort((a, b) => a.path.length - b.path.length)) {
      const same = [...byPath.values()].find((g) => group.path === g.path || group.path.startsWith(`${g.path}/`));
      if (!same) byPath.set(group.path, group);
      else same.uses.push(...group.uses);
    }
    for (const group of byPath.values()) {
      const activities = [...new Set(group.uses.map((u) => u.activity))];
      if (activities.length < 2) continue;
      // The path is a file on the disk: some code opens, lists, creates or removes it.
      if (!group.uses.some((u) => u.use.op !== 'passed')) continue;
      // A best-effort removal (it does not fail when the path is missing) depends on nothing: it only
      // leaves the file behind on the other worker.
      const opsOf = (activity: ActivityImplementationFacts) =>
        new Set(group.uses.filter((u) => u.activity === activity && !(u.use.op === 'delete' && u.use.tolerant)).map((u) => u.use.op));
      // A consumer only reads or removes the path: it never makes it itself.
      const consumers = activities.filter((a) => {
        const ops = opsOf(a);
        return !ops.has('write') && !ops.has('passed') && (ops.has('read') || ops.has('delete'));
      });
      const producers = activities.filter((a) => {
        const ops = opsOf(a);
        return ops.has('write') || ops.has('passed');
      });
      if (consumers.length === 0 || producers.length === 0) continue;
      // Every one of them is scheduled, on the workflow's queue or one fixed queue: none is pinned to a worker.
      const queues = new Set<string>();
      let pinned = false;
      for (const activity of [...producers, ...consumers]) {
        const found = queuesOf(activity.name);
        if (!found) {
          pinned = true;
          break;
        }
        for (const queue of found) queues.add(queue);
      }
      if (pinned || queues.size !== 1) continue;
      const writes = group.uses.filter((u) => producers.includes(u.activity) && u.use.op === 'write');
      const reads = group.uses.filter((u) => consumers.includes(u.activity) && u.use.op === 'read');
      const certain = writes.length > 0 && reads.length > 0;
      const at = (use: LocalPathUse) => {
        const spot = use.via?.[0] ?? use.location;
        return `${relativePath(model.root, spot.file)}:${spot.line}`;
      };
      const producerNames = producers.map((a) => a.name).sort();
      const consumerNames = consumers.map((a) => a.name).sort();
      const firstProducerUse = (writes[0] ?? group.uses.find((u) => producers.includes(u.activity))!).use;
      const firstConsumerUse = (reads[0] ?? group.uses.find((u) => consumers.includes(u.activity) && !u.use.tolerant)!).use;
      const verb = (names: string[], one: string) => `${listNames(names)} ${names.length === 1 ? one : one.replace(/s$/, '')}`;
      const made =
        firstProducerUse.op === 'write'
          ? `${verb(producerNames, 'writes')} it (at ${at(firstProducerUse)})`
          : `${verb(producerNames, 'hands')} it to \`${firstProducerUse.call ?? 'a call'}\` (at ${at(firstProducerUse)}), which may write it`;
      const readerNames = [...new Set(reads.map((u) => u.activity.name))].sort();
      const removerNames = consumerNames.filter((name) => !readerNames.includes(name));
      const consumed = [
        ...(readerNames.length > 0 ? [`${verb(readerNames, 'reads')} it`] : []),
        ...(removerNames.length > 0 ? [`${verb(removerNames, 'removes')} it`] : []),
      ].join(' and ');
      const related = new Map<string, { file: string; line: number; column: number; message: string }>();
      const relate = (spot: SourceLocation, message: string) => related.set(`${spot.file}:${spot.line}:${spot.column}:${message}`, { ...spot, message });
      for (const u of group.uses) {
        const spot = u.use.via?.[0] ?? u.use.location;
        if (producers.includes(u.activity) && u.use.op === 'write') relate(spot, `${u.activity.name} writes it`);
        else if (producers.includes(u.activity) && u.use.op === 'passed') relate(spot, `${u.activity.name} hands it to ${u.use.call ?? 'a call'}`);
        else if (consumers.includes(u.activity) && !u.use.tolerant) relate(spot, `${u.activity.name} ${u.use.op === 'read' ? 'reads' : 'removes'} it`);
      }
      // Reported where the writing activity builds the path.
      const declaration = (group.uses.find((u) => producers.includes(u.activity)) ?? group.uses[0]!).use.declaration;
      ctx.report({
        location: declaration,
        severity: certain ? 'warning' : 'info',
        message:
          `\`${group.path}\` is a path on the worker's local disk: ${made}, and later ${consumed} (at ${at(firstConsumerUse)}), as separate activities on the same task queue. ` +
          `Temporal gives each activity task to whichever worker polls the queue: with more than one worker, or after a restart or redeploy in between, ` +
          `the later activity runs where the file is not there and fails, or goes on without it.` +
          (certain ? '' : ' Info: the review cannot see for certain that the file is written (it is handed to a call the review does not follow), or the later activity only removes it.'),
        fix:
          'Hand the data over through storage every worker reads (an object store or a database, passing the key between activities), or do the writing and the ' +
          'reading in one activity; if the file must stay on one host, schedule the later activities on a task queue only that worker polls (a worker-specific task queue).',
        related: [...related.values()].slice(0, 10),
        data: { path: group.path, writers: producerNames, readers: consumerNames },
      });
    }
    // Paths the workflow itself hands from one activity or child workflow to another.
    const python = pythonModelOf(model);
    const handoffs: LocalPathHandoff[] = python ? (python.localPathHandoffs ?? []) : model.language === undefined ? localPathHandoffsOf(model as TemporalModel) : [];
    for (const handoff of handoffs) reportHandoff(handoff, (finding) => ctx.report(finding), model.root);
  },
});

const describe = (r: { name: string; kind: 'activity' | 'child' }) => (r.kind === 'child' ? `child workflow ${r.name}` : r.name);
const reads = (r: LocalPathReceiver) => r.ops === undefined || r.ops.some((op) => op !== 'write');

function reportHandoff(
  handoff: LocalPathHandoff,
  report: (finding: { location: SourceLocation; severity: 'warning' | 'info'; message: string; fix: string; related: { file: string; line: number; column: number; message: string }[]; data: Record<string, unknown> }) => void,
  root: string,
): void {
  const receivers = [...handoff.receivers].sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
  const first = handoff.producer ?? receivers[0]!;
  const later = handoff.producer ? receivers : receivers.filter((r) => !(r.kind === first.kind && r.name === first.name));
  if (later.length === 0) return;
  // A later call on a task queue computed at run time may be routed to the worker that holds the file.
  if (later.some((r) => r.computedQueue)) return;
  // A relative text (`reports/{id}.csv`) is as often an object-store key or a URL path: it counts
  // only when a receiving activity opens, lists, creates or removes it as a file.
  if (!handoff.producer && !/^\/(tmp|var\/tmp)\//.test(handoff.path ?? '') && !receivers.some((r) => r.ops?.some((op) => op !== 'passed'))) return;
  const at = (spot: SourceLocation) => `${relativePath(root, spot.file)}:${spot.line}`;
  const shown = handoff.path && handoff.path !== handoff.expression ? `\`${handoff.expression}\` (\`${handoff.path}\`)` : `\`${handoff.expression}\``;
  let certain: boolean;
  let made: string;
  let consumer: LocalPathReceiver;
  if (handoff.producer) {
    consumer = later.find(reads) ?? later[0]!;
    certain = reads(consumer);
    made = `${describe(handoff.producer)} makes it with ${handoff.producer.how} on its worker and returns it (at ${at(handoff.producer.location)})`;
  } else {
    // One receiving activity writes it and a later, other one receives it.
    const writerIndex = receivers.findIndex((r) => r.ops?.includes('write'));
    const writer = writerIndex >= 0 ? receivers[writerIndex]! : undefined;
    const after = writer ? receivers.slice(writerIndex + 1).filter((r) => !(r.kind === writer.kind && r.name === writer.name)) : [];
    const reader = after.find(reads);
    certain = writer !== undefined && reader !== undefined;
    const source = certain ? writer! : first;
    consumer = certain ? reader! : later[0]!;
    made = certain
      ? `${describe(source)} writes it (at ${at(source.location)})`
      : `the workflow hands it to ${describe(source)} (at ${at(source.location)})`;
  }
  const consumed =
    consumer.ops === undefined
      ? `the workflow later hands it to ${describe(consumer)} (at ${at(consumer.location)})`
      : consumer.ops.includes('read')
        ? `${describe(consumer)} later reads it (at ${at(consumer.location)})`
        : `the workflow later hands it to ${describe(consumer)} (at ${at(consumer.location)})`;
  const producerName = handoff.producer ? handoff.producer.name : receivers.find((r) => r.ops?.includes('write'))?.name ?? first.name;
  report({
    location: consumer.location,
    severity: certain ? 'warning' : 'info',
    message:
      `${shown} is a path on one worker's local disk that workflow ${handoff.workflow} passes from one call to another: ${made}, and ${consumed}. ` +
      `Temporal gives each activity task to whichever worker polls the queue: with more than one worker, or after a restart or redeploy in between, ` +
      `${describe(consumer)} runs where the file is not there and fails, or goes on without it.` +
      (certain ? '' : ' Info: the review cannot see both ends (that the first call makes the file and the later one reads it).'),
    fix:
      'Hand the data over through storage every worker reads (upload it and pass the key), or do the writing and the reading in one activity; ' +
      'if the file must stay on one host, schedule the later activities on a task queue only that worker polls (a worker-specific task queue).',
    related: [
      { ...handoff.declaration, message: `the path is ${handoff.producer ? 'received' : 'built'} here` },
      ...(handoff.producer ? [{ ...handoff.producer.location, message: `${handoff.producer.name} returns it` }] : []),
      ...receivers.filter((r) => r !== consumer).map((r) => ({ ...r.location, message: `passed to ${describe(r)}` })),
    ].slice(0, 10),
    data: { path: handoff.path ?? handoff.expression, writers: [producerName], readers: [consumer.name], workflow: handoff.workflow },
  });
}
