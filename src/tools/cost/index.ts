export { estimateImageCostUsd, MissingPriceError } from './estimate-image-cost.js';
export type { ImageCostEstimate } from './estimate-image-cost.js';
export { costPlanSchema, planUsageSchema, projectCostPlan, renderCostPlanText } from './cost-plan.js';
export type { CostPlan, CostPlanInput, CostPlanRow, CostPlanProjection, PriceSource } from './cost-plan.js';
export { aggregateCosts, renderCostReportText, noKeyGroup } from './cost-report.js';
export type { CostGrouping, CostReport, CostReportGroup } from './cost-report.js';
export { monthToDateSpendUsd, startOfUtcMonthMs } from './month-to-date-spend.js';
