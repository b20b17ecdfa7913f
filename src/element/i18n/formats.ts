/**
 * Numbers, sizes, rates, durations and dates written for one language, through `Intl`. The translations' sentences
 * receive one of these, so "1.234,5 MiB" in German and "1 234,5 Mio" in French come from the same code.
 */

/** Formatters for one locale. */
export interface Formats {
  /** The BCP 47 locale these format for (`de`, `fr-CH`). */
  readonly locale: string;
  /** A count: `1,234` / `1.234`. */
  number(value: number): string;
  /** A whole percentage given as 0..100: `45%` / `45 %`. */
  percent(value: number): string;
  /** Bytes in binary units with the translation's unit names: `8.0 MiB` / `8,0 Mio`. */
  bytes(value: number): string;
  /** Bytes per second: `12.5 MiB/s`. */
  rate(bytesPerSecond: number): string;
  /** A duration in seconds: `2 min, 5 sec` / `2 Min., 5 Sek.`. */
  duration(seconds: number): string;
  /** Seconds as a clock reads: `0:36`, `12:05`, `1:02:03`. */
  clock(seconds: number): string;
  /** A date and time: `30 Nov 2026, 14:05`. */
  dateTime(value: Date | number | string): string;
  /** A time of day: `14:05:12`. */
  time(value: Date | number): string;
  /** How long ago: `5 minutes ago` / `vor 5 Minuten`. */
  ago(time: number, now?: number): string;
}

/** Unit names of bytes, from the translation: B, KiB, MiB, GiB, TiB (French: o, Kio, Mio, Gio, Tio). */
export type ByteUnits = readonly [string, string, string, string, string];

/** `locale` if Intl knows it (`en_US` and malformed tags are not errors here: the browser's default is used). */
function supported(locale: string): string | undefined {
  try {
    return Intl.NumberFormat.supportedLocalesOf(locale).length ? locale : undefined;
  } catch {
    return undefined;
  }
}

/** Formatters for `locale` (falls back to the browser's default when `Intl` does not know it). */
export function createFormats(locale: string, units: ByteUnits): Formats {
  const tag = supported(locale);
  const integer = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 });
  const unit = (name: string) => new Intl.NumberFormat(tag, { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: 0 });
  const seconds = unit('second');
  const minutes = unit('minute');
  const hours = unit('hour');
  const list = new Intl.ListFormat(tag, { type: 'unit', style: 'narrow' });
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
  const time = new Intl.DateTimeFormat(tag, { timeStyle: 'medium' });
  const relative = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
  const bytes = (value: number) => {
    if (value < 1024) return `${integer.format(value)} ${units[0]}`;
    let scaled = value / 1024;
    let index = 1;
    while (scaled >= 1024 && index < units.length - 1) {
      scaled /= 1024;
      index++;
    }
    return `${oneDecimal.format(scaled)} ${units[index]}`;
  };
  return {
    locale: tag ?? integer.resolvedOptions().locale,
    number: (value) => integer.format(value),
    percent: (value) => percent.format(value / 100),
    bytes,
    rate: (value) => `${bytes(value)}/s`,
    duration(total) {
      const s = Math.max(0, Math.round(total));
      if (s < 60) return seconds.format(s);
      const m = Math.floor(s / 60);
      if (m < 60) return list.format([minutes.format(m), seconds.format(s % 60)]);
      return list.format([hours.format(Math.floor(m / 60)), minutes.format(m % 60)]);
    },
    clock(total) {
      const s = Math.max(0, Math.round(total));
      const two = (n: number) => String(n).padStart(2, '0');
      const h = Math.floor(s / 3600);
      const m = Math.floor((s % 3600) / 60);
      return h ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
    },
    dateTime: (value) => dateTime.format(new Date(value)),
    time: (value) => time.format(value),
    ago(at, now = Date.now()) {
      const m = Math.round((at - now) / 60_000);
      if (m > -60) return relative.format(m, 'minute');
      const h = Math.round(m / 60);
      return h > -48 ? relative.format(h, 'hour') : relative.format(Math.round(h / 24), 'day');
    },
  };
}
