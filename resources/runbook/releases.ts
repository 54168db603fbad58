/**
 * OpenStack release series StackHPC Kayobe deployments upgrade between, oldest first,
 * with the major version of the kayobe that deploys each (PyPI's kayobe 14.x is 2023.1).
 */
export const RELEASES = [
  { series: "2023.1", codename: "antelope", kayobe: 14 },
  { series: "2024.1", codename: "caracal", kayobe: 16 },
  { series: "2025.1", codename: "epoxy", kayobe: 18 },
] as const;

export type Series = (typeof RELEASES)[number]["series"];

export function isSeries(value: string): value is Series {
  return RELEASES.some((r) => r.series === value);
}

export function codename(series: Series): string {
  return RELEASES.find((r) => r.series === series)!.codename;
}

/** The series a codename names (any case), if known. */
export function seriesNamed(name: string): Series | undefined {
  return RELEASES.find((r) => r.codename === name.toLowerCase())?.series;
}

/** The series a kayobe version (as `kayobe --version` or pip reports it) deploys, if known. */
export function seriesOfKayobe(version: string): Series | undefined {
  const major = Number(/^(\d+)\./.exec(version)?.[1]);
  return RELEASES.find((r) => r.kayobe === major)?.series;
}

/** The release an upgrade to `series` starts from, or undefined for the oldest known. */
export function previousSeries(series: Series): Series | undefined {
  const index = RELEASES.findIndex((r) => r.series === series);
  return index > 0 ? RELEASES[index - 1].series : undefined;
}

/** "2024.1 (caracal)", as messages name a release. */
export function named(series: Series): string {
  return `${series} (${codename(series)})`;
}
