// A bench module may export `targets`: for some of its figures, the goal (as shown in the results
// table) and whether a value meets it. Figures without a target are reported as measured.
export interface Target {
  text: string;
  met: (value: number) => boolean;
}

export type Targets = Record<string, Target>;
