/**
 * The visitor's country, from a MaxMind-format database (GeoLite2 Country, DB-IP Lite, …) when
 * one is configured (`STEWARD_GEOIP_DB`). It is looked up from the full address in memory,
 * before the address is truncated; only the ISO country code is kept.
 */
import type { CountryResponse, Reader } from 'maxmind';
import maxmind from 'maxmind';

export type CountryLookup = (ip: string) => string | undefined;

/** A lookup over the database at `path`, or one that always answers undefined. */
export async function openCountryLookup(path: string | undefined): Promise<CountryLookup> {
  if (path === undefined || path === '') return () => undefined;
  const reader: Reader<CountryResponse> = await maxmind.open<CountryResponse>(path);
  return (ip) => {
    try {
      return reader.get(ip)?.country?.iso_code;
    } catch {
      return undefined;
    }
  };
}
