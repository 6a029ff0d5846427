import { paletteDragType, paletteItems, type PaletteItem } from '../../api/flow-ports.js';

/**
 * The node types, dragged onto the canvas to place a node where it is dropped. Each is also a button
 * (Enter or a click) that places the node beside the others, so the palette works with the keyboard.
 */
export function FlowPalette({ onAdd }: { onAdd: (item: PaletteItem) => void }) {
  return (
    <ul className="flow-palette" aria-label="Node palette">
      {paletteItems.map(({ item, label }) => (
        <li key={item}>
          <button
            type="button"
            className="secondary"
            draggable
            data-palette={item}
            aria-label={`Add ${label.toLowerCase()} node`}
            onDragStart={(event) => {
              event.dataTransfer.setData(paletteDragType, item);
              event.dataTransfer.effectAllowed = 'copy';
            }}
            onClick={() => onAdd(item)}
          >
            {label}
          </button>
        </li>
      ))}
    </ul>
  );
}
