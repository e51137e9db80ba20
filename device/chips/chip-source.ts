// SampleSource over SPI converter chips (Espruino SPI1 or Linux spidev): one batched transfer per chip per sample, pure decoders.
import type { TcType } from "../drivers/its90";
import { createMax31855Reading, decodeMax31855, type Max31855Reading } from "../drivers/max31855";
import {
  createMax31856Reading, decodeMax31856, max31856Cr1, MAX31856_BATCH_DATA_OFFSET, MAX31856_BATCH_READ_TX, MAX31856_CR0_AUTO_CONVERT,
  MAX31856_CR0_OC_DETECT_LOW_R, MAX31856_CR0_REJECT_50HZ, MAX31856_CR1_AVG_1, MAX31856_REG_CR0, MAX31856_WRITE, type Max31856Reading,
} from "../drivers/max31856";
import type { SampleSource } from "../source";
/** A chip-select handle: an Espruino pin, or an index into opened Linux spidev devices. */
export type Pin = unknown;

/** The SPI transfer a chip source needs (Espruino's SPI1.send, or a fake in tests). */
export interface SpiTransfer {
  send(data: ArrayLike<number>, cs: Pin): ArrayLike<number>;
  /** Switches the SPI mode (MAX31855: 0, MAX31856: 1); called only when the chip kind changes on a mixed bus. */
  setMode?(mode: number): void;
}

/** SPI modes of the chips (datasheets: MAX31855 samples on the rising edge, mode 0; MAX31856 supports modes 1 and 3). */
export const MAX31855_SPI_MODE = 0;
export const MAX31856_SPI_MODE = 1;

/** One chip on the bus. */
export interface ChipChannel {
  chip: "MAX31855" | "MAX31856";
  tc: TcType;
  cs: Pin;
}

const MAX31855_TX = [0, 0, 0, 0];

/**
 * Reads each channel's chip once per sample. MAX31855: 4 bytes, decoded with ITS-90 correction.
 * MAX31856: configured once (`init`: automatic conversion, open-circuit detection, 50 Hz
 * rejection, the probe's type), then one 7-byte batched read of CJTH..SR per sample.
 */
export class ChipSource implements SampleSource {
  readonly channelCount: number;
  private readonly spi: SpiTransfer;
  private readonly chans: ChipChannel[];
  private readonly r55: Max31855Reading[];
  private readonly r56: Max31856Reading[];
  /** 1 per MAX31856 channel, 0 per MAX31855. */
  private readonly is56: Uint8Array;
  /** The last MAX31855 word decoded per channel (-1 none): an identical word decodes to the same result, kept in r55. */
  private readonly lastWord: Float64Array;
  private mode = -1;

  constructor(spi: SpiTransfer, chans: ChipChannel[]) {
    this.spi = spi;
    this.chans = chans;
    this.channelCount = chans.length;
    this.r55 = [];
    this.r56 = [];
    this.is56 = new Uint8Array(chans.length);
    this.lastWord = new Float64Array(chans.length);
    this.lastWord.fill(-1);
    for (let i = 0; i < chans.length; i++) {
      this.r55.push(createMax31855Reading());
      this.r56.push(createMax31856Reading());
      this.is56[i] = chans[i].chip === "MAX31856" ? 1 : 0;
    }
  }

  /** Writes the MAX31856 configuration registers (CR0, CR1). */
  init(): void {
    for (let i = 0; i < this.chans.length; i++) {
      const c = this.chans[i];
      if (c.chip !== "MAX31856") continue;
      this.useMode(MAX31856_SPI_MODE);
      const cr0 = MAX31856_CR0_AUTO_CONVERT | MAX31856_CR0_OC_DETECT_LOW_R | MAX31856_CR0_REJECT_50HZ;
      this.spi.send([MAX31856_WRITE | MAX31856_REG_CR0, cr0, max31856Cr1(c.tc, MAX31856_CR1_AVG_1)], c.cs);
    }
  }

  private useMode(mode: number): void {
    if (mode !== this.mode && this.spi.setMode) this.spi.setMode(mode);
    this.mode = mode;
  }

  /**
   * One transfer per chip. A MAX31855 word identical to the channel's previous one is not decoded
   * again (the ITS-90 correction costs about 1 M instructions per word on Espruino, and a steady
   * probe repeats its word: 0.25 degC steps): its result is the same by construction.
   */
  read(nowMs: number, tempC: Float64Array, fault: Uint8Array): void {
    const chans = this.chans;
    const is56 = this.is56;
    const lastWord = this.lastWord;
    for (let i = 0; i < chans.length; i++) {
      const c = chans[i];
      const mode = is56[i] ? MAX31856_SPI_MODE : MAX31855_SPI_MODE;
      if (mode !== this.mode) this.useMode(mode);
      if (is56[i]) {
        const r = decodeMax31856(this.spi.send(MAX31856_BATCH_READ_TX, c.cs), MAX31856_BATCH_DATA_OFFSET, this.r56[i]);
        tempC[i] = r.tempC;
        fault[i] = r.fault;
      } else {
        const b = this.spi.send(MAX31855_TX, c.cs);
        const word = b[0] * 0x1000000 + b[1] * 0x10000 + b[2] * 0x100 + b[3];
        const r = this.r55[i];
        if (word !== lastWord[i]) {
          decodeMax31855(word, c.tc, r);
          lastWord[i] = word;
        }
        tempC[i] = r.tempC;
        fault[i] = r.fault;
      }
    }
  }
}
