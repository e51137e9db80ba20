// The dose arithmetic lives in the domain module; this path stays for existing importers.
export * from "../domain/dose-calc";
