/** Built by vite.config.ts (iconPixelsPlugin): per icon name and size, straight RGBA pixels in base64; null when the build could not render them. */
declare module 'virtual:icon-pixels' {
  const pixels: Record<string, Partial<Record<16 | 32, string>>> | null;
  export default pixels;
}
