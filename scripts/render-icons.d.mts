export declare const ICON_SIZES: readonly number[];
export declare const ICON_SOURCE_DIR: string;
export declare function renderIcons(options: {
  srcDir?: string;
  outDir: string;
  sizes?: readonly number[];
}): Promise<string[]>;
export declare function renderIconPixels(options?: {
  srcDir?: string;
  sizes?: readonly number[];
}): Promise<Record<string, Record<number, string>> | null>;
