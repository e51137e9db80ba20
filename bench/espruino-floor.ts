// Reference loops for the Espruino section: what the interpreter charges for the least per-channel work a monitor can do, 8 channels per sample.

/** One reference loop: its label and the body run once per channel (locals: v, p, h, ch; arrays cc, hi, lo, last, t42, cem). */
export interface FloorLoop {
  label: string;
  body: string;
}

/**
 * From nothing to the minimum a sample needs per nerve channel: the loop itself; one compare of
 * the reading against its precomputed band (a limit crossing); that plus the three dose models
 * (time >= 42.2 degC, CEM43 with Math.pow). No filter, stuck check, trend, encoding or output.
 */
export const FLOOR_LOOPS: FloorLoop[] = [
  { label: "empty loop over 8 channels", body: "" },
  { label: "+ one band compare per channel", body: "v=cc[ch];if(v>=hi[ch]||v<=lo[ch]){f|=1<<ch;continue;}" },
  {
    label: "+ time >= 42.2 degC and CEM43 per channel",
    body: "v=cc[ch];if(v>=hi[ch]||v<=lo[ch]){f|=1<<ch;continue;}p=last[ch];last[ch]=v;h=v>p?v:p;if(h>=4220)t42[ch]+=100;" +
      "cem[ch]+=Math.pow(h>=4300?0.5:0.25,43-h/100);",
  },
];

/** The script count.sh runs for `loop`: a step function over 8 channels called N times (N from the prelude). */
export function floorScript(loop: FloorLoop): string {
  return "var n=8,cc=new Int32Array([3700,3710,3720,3730,3740,3750,3760,3770]),hi=new Float64Array(8).fill(1e9)," +
    "lo=new Float64Array(8).fill(-1e9),last=new Int32Array(8),cem=new Float64Array(8),t42=new Float64Array(8);\n" +
    "function step(){var ch=0,v=0,p=0,h=0,f=0;for(ch=0;ch<n;ch++){" + loop.body + "}return f;}\n" +
    "for(var i=0;i<N;i++)step();\n";
}
