export interface Budget {
  budget_usd: number | null;
  spent_usd: number;
  left_usd: number | null;
}

export interface MonthBudgets {
  from: string;
  key: Budget;
  server: Budget;
}

/** What `GET /v1/usage/overview` answers. */
export interface UsageOverview {
  object: 'usage.overview';
  at: number;
  tasks_by_status: Record<string, number>;
  last_hour: {
    finished: number;
    succeeded: number;
    failed: number;
    error_rate: number | null;
    per_minute: number;
  };
  month: MonthBudgets;
  models_in_use: Array<{
    model: string;
    platform: string;
    tasks: number;
    stage: string | null;
    shutdown_date: string | null;
    days_to_shutdown: number | null;
  }>;
  recent_failures: Array<{
    id: string;
    model: string;
    finished_at: number | null;
    error: { type: string; code: string; message: string } | null;
  }>;
}

export interface CostGroup {
  key: string;
  tasks: number;
  images: number;
  estimated_usd: number;
  actual_usd: number;
}

/** What `GET /v1/usage/cost` answers. */
export interface UsageCost {
  object: 'usage.cost';
  from: string;
  to: string;
  by_day: CostGroup[];
  by_model: CostGroup[];
  by_logical_name: CostGroup[];
  by_key: Array<CostGroup & { name: string | null }>;
  total_usd: number;
  month: MonthBudgets;
}
