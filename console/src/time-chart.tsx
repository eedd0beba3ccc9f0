// A time-series chart (uPlot on a canvas), with a caption and a text summary for screen readers.
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  readonly label: string;
  /** One value per timestamp (null where there is none). */
  readonly values: readonly (number | null)[];
}

const palette = ['#2f7de1', '#e0672f', '#2aa876', '#a64fd1', '#d1a21e', '#d14f7c'];

/** `span`: the time axis's range in epoch seconds (else the data's own, which one point makes years wide). */
export function TimeChart({ title, unit, times, series, span }: { title: string; unit: string; times: readonly number[]; series: readonly Series[]; span: readonly [number, number] }): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const range = useRef(span);
  range.current = span;
  const shape = series.map((s) => s.label).join('\u0000');
  useEffect(() => {
    const element = box.current;
    if (element === null) return undefined;
    const made = new uPlot({
      width: Math.max(320, element.clientWidth),
      height: 180,
      legend: { show: true },
      scales: { x: { time: true, range: (): uPlot.Range.MinMax => [range.current[0], range.current[1]] } },
      axes: [{ stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' } }, { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' }, label: unit, size: 60 }],
      series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: palette[i % palette.length] ?? '#2f7de1', width: 2, points: { show: true, size: 5 } }))],
    }, [[...times], ...series.map((s) => [...s.values])] as uPlot.AlignedData, element);
    plot.current = made;
    return () => {
      made.destroy();
      plot.current = null;
    };
  }, [shape, unit]);
  useEffect(() => {
    plot.current?.setData([[...times], ...series.map((s) => [...s.values])] as uPlot.AlignedData);
  }, [times, series]);
  const latest = series.map((s) => `${s.label} ${lastValue(s.values) ?? 'none'}`).join(', ');
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={`${title}: ${times.length} points; latest ${latest}`} />
    </figure>
  );
}

function lastValue(values: readonly (number | null)[]): number | undefined {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined) return v;
  }
  return undefined;
}
