// USB vendor:product ids of the boards a thermoguard device runs on (a hint only: HELLO confirms).

/** One known USB serial board. Ids are lower-case 4-digit hex, as SerialPort.list() reports them. */
export interface KnownUsbId {
  vendorId: string;
  productId: string;
  board: string;
}

/** Boards whose USB CDC serial may carry a thermoguard device. Many other products share these ids. */
export const KNOWN_USB_IDS: readonly KnownUsbId[] = [
  { vendorId: "0483", productId: "5740", board: "STM32 virtual COM port (Espruino Pico / Original)" },
  { vendorId: "1915", productId: "520f", board: "nRF52 USB CDC (Espruino Bangle / MDBT42 dev boards)" },
  { vendorId: "2e8a", productId: "000a", board: "Raspberry Pi RP2040 / RP2350 USB CDC" },
];

/** Whether a port's USB ids are a known board (case-insensitive). */
export function isKnownUsbId(vendorId: string | undefined, productId: string | undefined): boolean {
  if (!vendorId || !productId) return false;
  const v = vendorId.toLowerCase();
  const p = productId.toLowerCase();
  return KNOWN_USB_IDS.some((k) => k.vendorId === v && k.productId === p);
}
