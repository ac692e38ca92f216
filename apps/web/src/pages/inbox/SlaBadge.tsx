import { Badge, Tooltip } from '@mantine/core';
import { IconClockHour4 } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { longSpan, shortSpan, slaTargetLabels, type SlaSummary } from '../../api/sla';

/** The current time, ticking every `ms` while mounted (countdowns stay right without refetching). */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** Time left on the conversation's next SLA target: grey, yellow from the warning, red once breached. */
export function SlaBadge({ sla, size = 'xs' }: { sla: SlaSummary | null | undefined; size?: 'xs' | 'sm' }) {
  const now = useNow(15_000);
  if (!sla) return null;
  const label = slaTargetLabels[sla.target] ?? 'SLA';
  if (sla.paused || !sla.due_at) {
    return (
      <Tooltip label={`${label} SLA paused while waiting on the customer`}>
        <Badge size={size} variant="light" color="gray" leftSection={<IconClockHour4 size={12} />} aria-label={`${label} SLA paused while waiting on the customer`} data-sla="paused">
          Paused
        </Badge>
      </Tooltip>
    );
  }
  const left = new Date(sla.due_at).getTime() - now;
  const breached = sla.breached || left <= 0;
  const warning = !breached && sla.warn_at !== null && new Date(sla.warn_at).getTime() <= now;
  const justNow = -left < 60_000;
  const text = breached ? `${label} overdue by ${justNow ? 'less than a minute' : longSpan(-left)}` : `${label} due in ${longSpan(left)}`;
  return (
    <Tooltip label={`${text} (${new Date(sla.due_at).toLocaleString()})`}>
      <Badge
        size={size}
        variant={breached ? 'filled' : 'light'}
        color={breached ? 'red' : warning ? 'yellow' : 'gray'}
        leftSection={<IconClockHour4 size={12} />}
        aria-label={text}
        data-sla={breached ? 'breached' : warning ? 'warning' : 'running'}
      >
        {breached ? (justNow ? 'Overdue' : `-${shortSpan(-left)}`) : shortSpan(left)}
      </Badge>
    </Tooltip>
  );
}
