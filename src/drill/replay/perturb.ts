// Perturbed replay: the same histories replayed in worker processes whose time zone, locale and
// clock differ from the machine that recorded them. Workflow time comes from history, but
// local-time and locale formatting (getHours(), toLocaleString()) follow the worker's process,
// so a workflow that branches on them replays differently on a worker in another region.

export interface Perturbation {
  name: string;
  env: Record<string, string>;
}

export const PERTURBATIONS: Perturbation[] = [
  {
    // twelve hours away from UTC: every local-hour comparison against noon flips
    name: 'TZ=Etc/GMT-12 (UTC+12), locale ja-JP, clock +12h',
    env: { TZ: 'Etc/GMT-12', LANG: 'ja_JP.UTF-8', LC_ALL: 'ja_JP.UTF-8', PREFLIGHT_CLOCK_OFFSET_MS: String(12 * 3600_000) },
  },
  {
    name: 'TZ=Pacific/Pago_Pago (UTC-11), locale de-DE, clock -11h',
    env: { TZ: 'Pacific/Pago_Pago', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8', PREFLIGHT_CLOCK_OFFSET_MS: String(-11 * 3600_000) },
  },
];
