import { describe, expect, it } from 'vitest';
import { IncrementalCooperativeAssignor, type AssignmentResult } from '../../../src/cluster/distributed/assignor.js';
import { ASSIGNMENT_CONFIG_MISMATCH, type ConnectorTaskId, type WorkerState } from '../../../src/cluster/distributed/connect-protocol.js';

const MAX_DELAY = 300_000;

/**
 * A simulated group: members report what they run, the assignor's output is applied the way
 * WorkerCoordinator.onJoinComplete applies it (drop revoked, add newly assigned).
 */
class Group {
  clock = 1_000_000;
  generation = 0;
  readonly running = new Map<string, { connectors: string[]; tasks: ConnectorTaskId[] }>();
  readonly assignor = new IncrementalCooperativeAssignor({ maxDelayMs: MAX_DELAY, now: () => this.clock });
  config = new Map<string, number>();
  last!: AssignmentResult;

  constructor(members: string[], config: Record<string, number>) {
    for (const m of members) this.join(m);
    this.config = new Map(Object.entries(config));
  }

  join(member: string, work: { connectors: string[]; tasks: ConnectorTaskId[] } = { connectors: [], tasks: [] }): void {
    this.running.set(member, { connectors: [...work.connectors], tasks: [...work.tasks] });
  }

  leave(member: string): { connectors: string[]; tasks: ConnectorTaskId[] } {
    const work = this.running.get(member)!;
    this.running.delete(member);
    return work;
  }

  rebalance(): AssignmentResult {
    const members = new Map<string, WorkerState>();
    const leader = [...this.running.keys()].sort()[0]!;
    for (const [m, work] of this.running) {
      members.set(m, {
        url: `http://${m}:8083/`,
        configOffset: 10,
        assignment: { version: 1, error: 0, leader, leaderUrl: '', configOffset: 10, ...work, revokedConnectors: [], revokedTasks: [], delay: 0 },
      });
    }
    const lastCompleted = this.generation;
    this.generation++;
    this.last = this.assignor.performAssignment({
      leaderId: leader,
      leaderUrl: `http://${leader}:8083/`,
      protocolVersion: 2,
      members,
      config: { offset: 10, connectors: this.config },
      lastCompletedGenerationId: lastCompleted,
      generationId: this.generation,
    });
    for (const [m, a] of this.last.assignments) {
      const work = this.running.get(m)!;
      const revokedTasks = new Set(a.revokedTasks.map(key));
      work.connectors = work.connectors.filter((c) => !a.revokedConnectors.includes(c)).concat(a.connectors);
      work.tasks = work.tasks.filter((t) => !revokedTasks.has(key(t))).concat(a.tasks);
    }
    return this.last;
  }

  /** Rebalances until a round neither revokes nor assigns anything. */
  settle(maxRounds = 10): number {
    for (let round = 1; round <= maxRounds; round++) {
      const r = this.rebalance();
      const moved = [...r.assignments.values()].some((a) => a.connectors.length || a.tasks.length || a.revokedConnectors.length || a.revokedTasks.length);
      if (!moved) return round;
    }
    throw new Error(`no stable assignment after ${maxRounds} rounds`);
  }

  counts(): { connectors: number[]; tasks: number[] } {
    const works = [...this.running.values()];
    return { connectors: works.map((w) => w.connectors.length), tasks: works.map((w) => w.tasks.length) };
  }

  /** Every configured connector and task runs on exactly one member. */
  expectEverythingRunsOnce(): void {
    const connectors = [...this.running.values()].flatMap((w) => w.connectors).sort();
    const tasks = [...this.running.values()].flatMap((w) => w.tasks.map(key)).sort();
    expect(connectors).toEqual([...this.config.keys()].sort());
    expect(tasks).toEqual([...this.config].flatMap(([c, n]) => Array.from({ length: n }, (_, t) => `${c}-${t}`)).sort());
  }
}

function key(t: ConnectorTaskId): string {
  return `${t.connector}-${t.task}`;
}

function spread(values: number[]): number {
  return Math.max(...values) - Math.min(...values);
}

describe('IncrementalCooperativeAssignor', () => {
  it('first assignment: spreads connectors and tasks evenly, revoking nothing', () => {
    const g = new Group(['w1', 'w2', 'w3'], { a: 2, b: 2, c: 2 });
    const r = g.rebalance();
    for (const a of r.assignments.values()) {
      expect(a.connectors).toHaveLength(1);
      expect(a.tasks).toHaveLength(2);
      expect(a.revokedConnectors).toEqual([]);
      expect(a.revokedTasks).toEqual([]);
      expect(a.delay).toBe(0);
      expect(a.leader).toBe('w1');
      expect(a.leaderUrl).toBe('http://w1:8083/');
      expect(a.version).toBe(2);
    }
    g.expectEverythingRunsOnce();
    // the leader's view of who runs what matches what each member was given
    expect([...r.allConnectors.values()].flat().sort()).toEqual(['a', 'b', 'c']);
  });

  it('a member joining: the first round only revokes what moves, the next hands it to the newcomer', () => {
    const g = new Group(['w1', 'w2', 'w3'], { a: 2, b: 2, c: 2, d: 2 });
    g.settle();
    const before = new Map([...g.running].map(([m, w]) => [m, { connectors: [...w.connectors], tasks: w.tasks.map(key) }]));

    g.join('w4');
    const revoking = g.rebalance();
    const revokedConnectors = [...revoking.assignments.values()].flatMap((a) => a.revokedConnectors);
    const revokedTasks = [...revoking.assignments.values()].flatMap((a) => a.revokedTasks.map(key));
    // 4 connectors over 4 members: one each, so exactly the one surplus connector moves;
    // 8 tasks over 4 members: two each, so only the two surplus tasks move.
    expect(revokedConnectors).toHaveLength(1);
    expect(revokedTasks).toHaveLength(2);
    for (const a of revoking.assignments.values()) {
      expect(a.connectors).toEqual([]);
      expect(a.tasks).toEqual([]);
    }
    // nothing is revoked from a member that is not above its share, nor from the newcomer
    for (const [m, a] of revoking.assignments) {
      const had = before.get(m);
      if (!had) expect(a.revokedConnectors.length + a.revokedTasks.length).toBe(0);
      else for (const t of a.revokedTasks) expect(had.tasks).toContain(key(t));
    }

    const assigning = g.rebalance();
    const w4 = assigning.assignments.get('w4')!;
    expect(w4.connectors).toEqual(revokedConnectors);
    expect(w4.tasks.map(key).sort()).toEqual([...revokedTasks].sort());
    for (const [m, a] of assigning.assignments) {
      expect(a.revokedConnectors.length + a.revokedTasks.length).toBe(0);
      if (m !== 'w4') expect(a.connectors.length + a.tasks.length).toBe(0);
    }
    // work that did not move stayed where it was
    for (const [m, had] of before) {
      const now = g.running.get(m)!;
      const kept = had.tasks.filter((t) => !revokedTasks.includes(t));
      expect(now.tasks.map(key).sort()).toEqual(kept.sort());
    }
    expect(g.counts()).toEqual({ connectors: [1, 1, 1, 1], tasks: [2, 2, 2, 2] });
    g.expectEverythingRunsOnce();
  });

  it('a member leaving: its work is held for scheduled.rebalance.max.delay.ms, then reassigned', () => {
    const g = new Group(['w1', 'w2', 'w3'], { a: 3, b: 3, c: 3 });
    g.settle();
    const gone = g.leave('w3');
    expect(gone.connectors.length + gone.tasks.length).toBeGreaterThan(0);

    const held = g.rebalance();
    for (const a of held.assignments.values()) {
      expect(a.delay).toBe(MAX_DELAY);
      expect(a.connectors.length + a.tasks.length + a.revokedConnectors.length + a.revokedTasks.length).toBe(0);
    }

    // Members rejoin before the delay is up (some other rebalance): the delay counts down, still nothing moves.
    g.clock += 100_000;
    const stillHeld = g.rebalance();
    for (const a of stillHeld.assignments.values()) {
      expect(a.delay).toBe(MAX_DELAY - 100_000);
      expect(a.connectors.length + a.tasks.length).toBe(0);
    }

    g.clock += MAX_DELAY - 100_000;
    const reassigned = g.rebalance();
    const given = [...reassigned.assignments.values()];
    expect(given.flatMap((a) => a.connectors).sort()).toEqual([...gone.connectors].sort());
    expect(given.flatMap((a) => a.tasks.map(key)).sort()).toEqual(gone.tasks.map(key).sort());
    for (const a of given) expect(a.delay).toBe(0);
    g.expectEverythingRunsOnce();
    expect(spread(g.counts().connectors)).toBeLessThanOrEqual(1);
    expect(spread(g.counts().tasks)).toBeLessThanOrEqual(1);
  });

  it('the delay is cut short when the departed worker comes back with its work', () => {
    const g = new Group(['w1', 'w2', 'w3'], { a: 2, b: 2, c: 2 });
    g.settle();
    const w3Work = g.leave('w3');
    expect(g.rebalance().assignments.get('w1')!.delay).toBe(MAX_DELAY);

    g.clock += 20_000;
    g.join('w3', w3Work);
    const back = g.rebalance();
    for (const a of back.assignments.values()) {
      expect(a.delay).toBe(0);
      expect(a.connectors.length + a.tasks.length + a.revokedConnectors.length + a.revokedTasks.length).toBe(0);
    }
    expect(g.running.get('w3')).toEqual(w3Work);
    g.expectEverythingRunsOnce();
    expect(g.assignor.scheduledDelay).toBe(0);
  });

  it('a replacement worker that joins empty while work is held gets that work when the delay expires', () => {
    const g = new Group(['w1', 'w2', 'w3'], { a: 2, b: 2, c: 2 });
    g.settle();
    const gone = g.leave('w3');
    g.rebalance();
    g.clock += 10_000;
    g.join('w3-new');
    const waiting = g.rebalance();
    expect(waiting.assignments.get('w3-new')!.delay).toBe(MAX_DELAY - 10_000);
    g.clock += MAX_DELAY;
    const r = g.rebalance();
    const newcomer = r.assignments.get('w3-new')!;
    expect(newcomer.connectors.sort()).toEqual([...gone.connectors].sort());
    expect(newcomer.tasks.map(key).sort()).toEqual(gone.tasks.map(key).sort());
    g.expectEverythingRunsOnce();
  });

  it('a worker restarted within the delay (back empty, under a new member id) gets its old work when the delay expires', () => {
    const g = new Group(['w1', 'w2', 'w3'], { a: 2, b: 2, c: 2 });
    g.settle();
    const gone = g.leave('w3');
    expect(g.rebalance().assignments.get('w1')!.delay).toBe(MAX_DELAY);

    // A restarted process lost what it ran: it rejoins empty, as a new member.
    g.clock += 30_000;
    g.join('w3-restarted');
    const waiting = g.rebalance();
    for (const a of waiting.assignments.values()) {
      // The countdown goes on (it does not start over), and nothing moves meanwhile: no balancing revocations either.
      expect(a.delay).toBe(MAX_DELAY - 30_000);
      expect(a.connectors.length + a.tasks.length + a.revokedConnectors.length + a.revokedTasks.length).toBe(0);
    }

    g.clock += MAX_DELAY - 30_000;
    const r = g.rebalance();
    const back = r.assignments.get('w3-restarted')!;
    expect(back.connectors.sort()).toEqual([...gone.connectors].sort());
    expect(back.tasks.map(key).sort()).toEqual(gone.tasks.map(key).sort());
    for (const [m, a] of r.assignments) {
      expect(a.delay).toBe(0);
      expect(a.revokedConnectors.length + a.revokedTasks.length).toBe(0);
      if (m !== 'w3-restarted') expect(a.connectors.length + a.tasks.length).toBe(0);
    }
    expect(g.counts()).toEqual({ connectors: [1, 1, 1], tasks: [2, 2, 2] });
    expect(g.settle()).toBe(1);
    g.expectEverythingRunsOnce();
  });

  it('a worker that leaves and comes back within the delay, while another worker joined meanwhile, ends balanced over all of them', () => {
    const g = new Group(['w1', 'w2', 'w3'], { a: 3, b: 3, c: 3 });
    g.settle();
    const w3Work = g.leave('w3');
    expect(g.rebalance().assignments.get('w1')!.delay).toBe(MAX_DELAY);

    g.clock += 10_000;
    g.join('w4');
    const pending = g.rebalance();
    expect(pending.assignments.get('w4')!.delay).toBe(MAX_DELAY - 10_000);
    expect(g.running.get('w4')).toEqual({ connectors: [], tasks: [] });

    // w3 is back with its work before the delay is up: nothing was lost after all, the delay is
    // cancelled, and the newcomer gets its share through the usual revoke-then-assign rounds.
    g.clock += 10_000;
    g.join('w3', w3Work);
    const rounds = g.settle();
    expect(rounds).toBeLessThanOrEqual(3);
    expect(g.assignor.scheduledDelay).toBe(0);
    g.expectEverythingRunsOnce();
    expect(g.running.get('w4')!.tasks.length).toBeGreaterThan(0);
    expect(spread(g.counts().connectors)).toBeLessThanOrEqual(1);
    expect(spread(g.counts().tasks)).toBeLessThanOrEqual(1);
    // w3 kept what it ran except what moved to the newcomer.
    const w3Now = g.running.get('w3')!.tasks.map(key);
    for (const t of w3Now) expect(w3Work.tasks.map(key)).toContain(t);
  });

  it('new workers joining while a delayed rebalance is pending share the held work when it expires, then the group settles balanced', () => {
    const g = new Group(['w1', 'w2', 'w3'], { a: 4, b: 4, c: 4 });
    g.settle();
    const gone = g.leave('w2');
    const goneTasks = gone.tasks.map(key).sort();
    expect(goneTasks).toHaveLength(4);
    g.rebalance();

    g.clock += 1_000;
    g.join('n1');
    g.rebalance();
    g.clock += 1_000;
    g.join('n2');
    const pending = g.rebalance();
    for (const a of pending.assignments.values()) {
      expect(a.delay).toBe(MAX_DELAY - 2_000);
      expect(a.connectors.length + a.tasks.length + a.revokedConnectors.length + a.revokedTasks.length).toBe(0);
    }

    g.clock += MAX_DELAY;
    const expired = g.rebalance();
    // Only the members that joined empty meanwhile take the held work, round robin.
    const n1 = expired.assignments.get('n1')!;
    const n2 = expired.assignments.get('n2')!;
    expect([...n1.tasks, ...n2.tasks].map(key).sort()).toEqual(goneTasks);
    expect([...n1.connectors, ...n2.connectors].sort()).toEqual([...gone.connectors].sort());
    expect(Math.abs(n1.tasks.length - n2.tasks.length)).toBeLessThanOrEqual(1);
    for (const m of ['w1', 'w3']) expect(expired.assignments.get(m)!.tasks).toEqual([]);

    g.settle();
    g.expectEverythingRunsOnce();
    expect(g.assignor.scheduledDelay).toBe(0);
    expect(spread(g.counts().connectors)).toBeLessThanOrEqual(1);
    expect(spread(g.counts().tasks)).toBeLessThanOrEqual(1);
  });

  it('a worker killed during a pending delay: its work and the earlier departed worker\'s are both reassigned when the delay expires', () => {
    const g = new Group(['w1', 'w2', 'w3', 'w4'], { a: 4, b: 4 });
    g.settle();
    const first = g.leave('w4');
    g.rebalance();
    g.clock += 1_000;
    const second = g.leave('w3');
    const held = g.rebalance();
    // The second departure does not push the deadline back.
    for (const a of held.assignments.values()) expect(a.delay).toBe(MAX_DELAY - 1_000);

    g.clock += MAX_DELAY;
    g.rebalance();
    g.settle();
    g.expectEverythingRunsOnce();
    const lost = [...first.tasks, ...second.tasks].map(key);
    const survivors = [...g.running.values()].flatMap((w) => w.tasks.map(key));
    for (const t of lost) expect(survivors).toContain(t);
    expect(g.counts().tasks.sort()).toEqual([4, 4]);
  });

  it('a new connector goes to the least-loaded member at once', () => {
    const g = new Group(['w1', 'w2'], { a: 1, b: 2 });
    g.settle();
    g.config.set('c', 1);
    const r = g.rebalance();
    const newlyAssigned = [...r.assignments.entries()].filter(([, a]) => a.connectors.includes('c'));
    expect(newlyAssigned).toHaveLength(1);
    g.expectEverythingRunsOnce();
  });

  it('a deleted connector is revoked from whoever runs it', () => {
    const g = new Group(['w1', 'w2'], { a: 2, b: 2 });
    g.settle();
    g.config.delete('b');
    const r = g.rebalance();
    const revoked = [...r.assignments.values()].flatMap((a) => [...a.revokedConnectors, ...a.revokedTasks.map(key)]);
    expect(revoked.sort()).toEqual(['b', 'b-0', 'b-1']);
    g.expectEverythingRunsOnce();
  });

  it('balances within one connector and one task per member, whatever the shape', () => {
    const shapes: [number, Record<string, number>][] = [
      [1, { a: 5 }],
      [2, { a: 1, b: 1, c: 1 }],
      [3, { a: 7, b: 0, c: 2 }],
      [4, { a: 3, b: 3, c: 3, d: 3, e: 1 }],
      [5, { x: 12 }],
      [6, { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 }],
    ];
    for (const [memberCount, config] of shapes) {
      const members = Array.from({ length: memberCount }, (_, i) => `w${i}`);
      const g = new Group(members, config);
      g.settle();
      g.expectEverythingRunsOnce();
      expect(spread(g.counts().connectors), JSON.stringify(config)).toBeLessThanOrEqual(1);
      expect(spread(g.counts().tasks), JSON.stringify(config)).toBeLessThanOrEqual(1);
      // and again after a member joins and the group settles
      g.join('late');
      g.settle();
      g.expectEverythingRunsOnce();
      expect(spread(g.counts().connectors)).toBeLessThanOrEqual(1);
      expect(spread(g.counts().tasks)).toBeLessThanOrEqual(1);
    }
  });

  it('answers CONFIG_MISMATCH to everyone when a member has read further into the config topic than the leader', () => {
    const assignor = new IncrementalCooperativeAssignor();
    const members = new Map<string, WorkerState>([
      ['w1', { url: 'http://w1/', configOffset: 5, assignment: null }],
      ['w2', { url: 'http://w2/', configOffset: 9, assignment: null }],
    ]);
    const r = assignor.performAssignment({
      leaderId: 'w1',
      leaderUrl: 'http://w1/',
      protocolVersion: 1,
      members,
      config: { offset: 5, connectors: new Map([['a', 1]]) },
      lastCompletedGenerationId: -1,
      generationId: 1,
    });
    for (const a of r.assignments.values()) {
      expect(a.error).toBe(ASSIGNMENT_CONFIG_MISMATCH);
      expect(a.configOffset).toBe(9);
      expect(a.connectors).toEqual([]);
    }
  });
});
