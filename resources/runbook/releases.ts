/** OpenStack release series StackHPC Kayobe deployments upgrade between, oldest first. */
export const RELEASES = [
  { series: "2023.1", codename: "antelope" },
  { series: "2024.1", codename: "caracal" },
  { series: "2025.1", codename: "epoxy" },
] as const;

export type Series = (typeof RELEASES)[number]["series"];

export function isSeries(value: string): value is Series {
  return RELEASES.some((r) => r.series === value);
}

export function codename(series: Series): string {
  return RELEASES.find((r) => r.series === series)!.codename;
}

/** The release an upgrade to `series` starts from, or undefined for the oldest known. */
export function previousSeries(series: Series): Series | undefined {
  const index = RELEASES.findIndex((r) => r.series === series);
  return index > 0 ? RELEASES[index - 1].series : undefined;
}
