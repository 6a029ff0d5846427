export default function CostPage() {
  return <h1>Cost</h1>;
}
