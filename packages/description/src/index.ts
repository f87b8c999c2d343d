export { descriptionText, type DescriptionText } from "./text.ts";
export {
  codePointOf,
  findConfusableWords,
  findHiddenCharacters,
  revealHidden,
  stripHidden,
  type ConfusableWord,
  type HiddenCharacter,
  type HiddenCharacterKind,
} from "./characters.ts";
export {
  DESCRIPTION_LIMITS,
  renderDescription,
  safeHref,
  type HiddenContent,
  type HiddenContentKind,
  type RenderedDescription,
} from "./markdown.ts";
