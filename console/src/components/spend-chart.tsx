import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * Spend per day as bars (uPlot: a small, dependency-free canvas charting library). The canvas is
 * decorative for screen readers; the page shows the same numbers in a table.
 */
export function SpendChart({
  days,
  actual,
  estimated,
}: {
  days: string[];
  actual: number[];
  estimated: number[];
}) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const xs = days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
    const bars = uPlot.paths.bars!({ size: [0.6, 40], align: 0 });
    const chart = new uPlot(
      {
        width: Math.max(480, element.clientWidth - 16),
        height: 260,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: {
          x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] },
          y: { range: (_u, _min, max) => [0, Math.max(0.01, max * 1.15)] },
        },
        axes: [
          { stroke: '#4b5260', grid: { stroke: '#e3e6eb' } },
          {
            stroke: '#4b5260',
            grid: { stroke: '#e3e6eb' },
            values: (_u, ticks) => ticks.map((tick) => `$${tick.toFixed(2)}`),
            size: 64,
          },
        ],
        series: [
          {},
          {
            label: 'Actual USD',
            fill: '#1f4fd1',
            stroke: '#1f4fd1',
            paths: bars,
            points: { show: false },
            value: (_u, v) => (v === null ? '—' : `$${v.toFixed(3)}`),
          },
          {
            label: 'Estimated USD',
            stroke: '#8a4b00',
            width: 2,
            dash: [6, 4],
            points: { show: false },
            value: (_u, v) => (v === null ? '—' : `$${v.toFixed(3)}`),
          },
        ],
      },
      [xs, actual, estimated],
      element,
    );
    return () => chart.destroy();
  }, [days, actual, estimated]);
  return <div ref={container} className="chart" aria-hidden="true" data-testid="spend-chart" />;
}
