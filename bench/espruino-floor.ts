// Reference loops for the Espruino section: what the interpreter charges for the least per-channel work a monitor can do, 8 channels per sample.

/** One reference loop: its label, the body run once per channel, and what runs once per sample after the loop. */
export interface FloorLoop {
  label: string;
  /** Locals: ch, v, p, h, f, d, r; arrays cc, raw (this sample's readings, degC), prev, hi, lo, last, t42, t70, cem. */
  body: string;
  /** Once per sample (locals of `body`, plus seq and tm, the sample's number and time). */
  perSample?: string;
}

const BAND = "if(v>=hi[ch]||v<=lo[ch]){f|=1<<ch;continue;}";
const DOSES = "p=last[ch];last[ch]=v;h=v>p?v:p;if(h>=4220){t42[ch]+=100;if(h>=7000)t70[ch]+=100;}cem[ch]+=Math.pow(h>=4300?0.5:0.25,43-h/100);";
/** The least a filter does: the raw reading compared with the previous one (stuck detection), converted to cC, held to the spike allowance. */
const FILTER = "r=raw[ch];if(r!==prev[ch])prev[ch]=r;v=Math.round(r*100);d=v-cc[ch];if(d>120||d<-120){f|=1<<ch;continue;}cc[ch]=v;";
/** An R line: the readings joined natively, the native CRC-32, eight hex digits, one write. */
const R_LINE = "var s='$R,'+seq+','+tm+','+cc.join(',');w(s+'*'+(4294967296+E.CRC32(s)).toString(16).substring(1).toUpperCase()+'\\n');";

/**
 * From nothing to the minimum a sample needs: the loop itself; one compare of the reading against
 * its precomputed band (a limit crossing); that plus the three dose models (time >= 42.2 degC,
 * time >= 70 degC, CEM43 with Math.pow); that plus the least filter (stuck compare, conversion,
 * spike allowance); that plus writing the R line. No confirmation, trend, alarm handling, D or S
 * lines, annunciation or tick.
 */
export const FLOOR_LOOPS: FloorLoop[] = [
  { label: "empty loop over 8 channels", body: "" },
  { label: "+ one band compare per channel", body: "v=cc[ch];" + BAND },
  { label: "+ the three dose models per channel", body: "v=cc[ch];" + BAND + DOSES },
  { label: "+ stuck compare, conversion and spike allowance per channel", body: FILTER + BAND + DOSES },
  { label: "+ the R line", body: FILTER + BAND + DOSES, perSample: R_LINE },
];

/** The script count.sh runs for `loop`: a step function over 8 channels called N times (N from the prelude), the readings alternating between two sets. */
export function floorScript(loop: FloorLoop): string {
  return "var n=8,cc=new Int32Array([3700,3710,3720,3730,3740,3750,3760,3770]),hi=new Float64Array(8).fill(1e9)," +
    "lo=new Float64Array(8).fill(-1e9),last=new Int32Array(8),cem=new Float64Array(8),t42=new Float64Array(8),t70=new Float64Array(8)," +
    "prev=new Float64Array(8),A=new Float64Array([37,37.1,37.2,37.3,37.4,37.5,37.6,37.7]),B=new Float64Array([37.01,37.11,37.21,37.31,37.41,37.51,37.61,37.71]),out='';\n" +
    "function w(s){out=s;}\n" +
    "function step(raw,seq,tm){var ch=0,v=0,p=0,h=0,f=0,d=0,r=0;for(ch=0;ch<n;ch++){" + loop.body + "}" + (loop.perSample || "") + "return f;}\n" +
    "for(var i=0;i<N;i++)step(i&1?B:A,i,i*100);\n";
}
