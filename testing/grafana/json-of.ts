// The JSON form of a Grafana model type: what a dashboard file holds. A string enum (e.g.
// ThresholdsMode, MappingType) is written in JSON as its string value, so its place takes the union
// of those values (`${E}`); a numeric enum (VariableHide, ...) is a number in JSON. Everything else
// keeps the model's shape: objects, arrays, optional and required properties, unions.
export type JsonOf<T> =
  T extends string ? `${T}` :
  T extends number ? number :
  T extends boolean ? boolean :
  T extends Array<infer U> ? Array<JsonOf<U>> :
  T extends object ? { [K in keyof T]: JsonOf<T[K]> } :
  T;
