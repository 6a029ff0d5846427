/** What `GET /v1/lifecycle` answers. */
export interface LifecycleCalendar {
  object: 'lifecycle';
  today: string;
  at: string;
  models: Array<{ id: string; display_name: string; platforms: PlatformDates[] }>;
  routes: Array<{ name: string; candidates: Array<{ model: string; platform: string }> }>;
  guard: {
    at: string;
    worst: 'ok' | 'warning' | 'error';
    findings: Array<{
      model: string;
      platform: string;
      stage: string;
      shutdown_date: string | null;
      days_left: number | null;
      successor: string | null;
      level: 'ok' | 'warning' | 'error';
      message: string;
    }>;
  };
}

export interface PlatformDates {
  platform: string;
  stage: string | null;
  release_date: string | null;
  ga_date: string | null;
  shutdown_date: string | null;
  days_to_shutdown: number | null;
  successor: string | null;
}

/** One (model, platform) line of the calendar with the routes that use it (`image_fast #1`). */
export interface CalendarRow extends PlatformDates {
  model: string;
  usedBy: string[];
}

export function calendarRows(calendar: LifecycleCalendar): CalendarRow[] {
  return calendar.models.flatMap((model) =>
    model.platforms.map((dates) => ({
      ...dates,
      model: model.id,
      usedBy: calendar.routes.flatMap((route) =>
        route.candidates.flatMap((candidate, index) =>
          candidate.model === model.id && candidate.platform === dates.platform
            ? [`${route.name} #${index + 1}`]
            : [],
        ),
      ),
    })),
  );
}
