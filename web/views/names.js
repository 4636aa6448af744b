// names.js — the view names an embed can ask for (views="flow,profile,…"),
// in page order. 'boundary' is the data view: the decision boundary for 2-D
// sets, the confusion table for digits. 'ratio' is view 6: the update/weight
// ratio per layer and the pre-clip total gradient norm.
export const VIEW_NAMES = Object.freeze(['flow', 'profile', 'loss', 'activations', 'boundary', 'ratio']);
