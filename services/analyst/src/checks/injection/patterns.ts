// Patterns of text written for an automated reviewer rather than for voters. Each is phrased as an
// address to a model or a piece of prompt machinery, never as a single word: "risk", "audit",
// "system", "model", "ignore" or "AI" alone never match (see test/injection-corpus.ts for the
// ordinary descriptions that must stay unflagged).

export type InjectionKind = "reviewer-instructions" | "fake-verdict" | "role-play" | "fake-delimiter";

export interface InjectionFamily {
  kind: InjectionKind;
  title: string;
  patterns: RegExp[];
}

/** A word boundary that also works for non-ASCII letters (JavaScript's `\b` is ASCII-only). */
const B = "(?<![\\p{L}\\p{N}_])";
const E = "(?![\\p{L}\\p{N}_])";
const u = (source: string, flags = "iu") => new RegExp(source.replaceAll("\\B<", B).replaceAll("\\B>", E), flags);

const REVIEWER = "(?:ai|a\\.i\\.|llm|gpt|chatgpt|claude|gemini|model|language model|automated|analy[sz]er|analyst|reviewer|auditor|bot|assistant|agent)";
const MACHINE = "(?:ai|a\\.i\\.|llm|gpt|claude|language model|automated|machine|model)";
const RULES = "(?:instructions?|rules|prompts?|guidelines|directives|checks|findings|guardrails|system prompt|orders|commands|constraints|policies)";
const FAVOURABLE = "(?:0|zero|none|safe|benign|harmless|approved|no risk|low[- ]risk|risk[- ]free|minimal risk|for|approve|yes)";

/** English. */
const ENGLISH: InjectionFamily[] = [
  {
    kind: "reviewer-instructions",
    title: "addresses instructions to an automated reviewer",
    patterns: [
      /\b(ignore|disregard|forget|override|bypass|overrule|discard|drop|skip)\b[^.\n]{0,40}\b(previous|prior|preceding|above|earlier|all|any|your|other|system|original|initial|existing)\b[^.\n]{0,30}\b(instructions?|rules|prompts?|guidelines|directives|checks|findings|guardrails|constraints|policies|orders|commands)\b/i,
      new RegExp(`\\b(note|message|instructions?|attention|notice|memo|directive|request)\\s+(to|for)\\s+(the\\s+|any\\s+|all\\s+|an?\\s+)?${REVIEWER}s?\\b`, "i"),
      new RegExp(`(?:^|[.!?]\\s+|\\n)\\s*(to\\s+)?(the\\s+|any\\s+|all\\s+)?${MACHINE}\\s+(reviewers?|analysts?|analy[sz]ers?|auditors?|agents?|assistants?|models?|systems?|readers?|checkers?)\\s*[:,]`, "im"),
      new RegExp(`\\b${MACHINE}\\s+(reviewers?|analysts?|analy[sz]ers?|auditors?|agents?|assistants?)\\s+(must|should|shall|need to|are required to)\\b`, "i"),
      new RegExp(`\\b${MACHINE}\\s+(reviewers?|analysts?|analy[sz]ers?|auditors?|agents?|assistants?|models?|systems?|tools?|readers?)\\b[^.\\n]{0,40}\\b(should|must|shall|will|is to|are to|needs? to)\\s+(approve|ignore|skip|pass|mark|rate|score|classify|treat|consider|recommend)\\s+(this|it|the proposal|the transfer|this proposal|for|approval|voting for)\\b`, "i"),
      /\byou\s+(are|must|should|shall|will|have to|need to|are required to|are instructed to)\s+(now\s+)?((an?|the)\s+(ai|assistant|language model|model|bot)\b|(score|rate|recommend|approve|output|respond|classify|mark|report|assign|return|treat|consider|give|set|label|pass)\s+(this|it|the proposal|the transfer|the risk|a risk|risk|as|with|only|that this)\b)/i,
      /\bdo\s*n[o']t\s+((flag|raise|escalate|penali[sz]e)\s+(this|it|the|these|any)\b|(report|mention|list|warn about|highlight)\s+(this|it|the (transfer|payment|amount|recipient|call|calls|proposal|difference|mismatch)|these|any (issues|findings|risks|warnings|concerns))\b)/i,
      /\b(do\s*n[o']t|never|omit|leave out|exclude)\b[^.\n]{0,60}\b(in|from)\s+your\s+(summary|report|analysis|review|findings|reasoning|output|answer|assessment)\b/i,
      /\bif\s+you\s+are\s+(an?\s+)?(ai|llm|language model|gpt|claude|bot|automated|machine|model|assistant|analy[sz]er)\b/i,
      /\bforget\s+(everything|all|anything|what)\b[^.\n]{0,30}\b(told|said|instructed|above|before|earlier|previously|learned)\b/i,
      new RegExp(`\\b(set|give|assign|rate|score|mark|classify|report|label|grade)\\b[^.\\n]{0,30}\\b(risk\\s*(score|rating|level)?|this proposal|the proposal|it)\\b[^.\\n]{0,20}\\b(to|as|at)\\s+(0|zero|safe|benign|harmless|approved|no risk|low[- ]risk|risk[- ]free)(?!\\.\\d|\\d|%)\\b`, "i"),
      /(?:^|[.:;,!]\s*|\b(?:and|please|must|should|shall|to)\s+)(report|return|output|produce|list|show)\s+(no|zero|0)\s+(findings|issues|warnings|risks|problems|flags)\b/im,
      /\boutput\b[^.\n]{0,20}\b(risk|recommendation)\b\s*(score\s*)?(of\s*|=|:)?\s*(0|for|approve)\b/i,
      new RegExp(`\\b(attention|hey|dear|hello|hi)\\s*,?\\s+(ai|llm|gpt|chatgpt|claude|model|bot|assistant|language model|automated (reviewer|analyst|analy[sz]er))\\b\\s*[:,!]`, "i"),
      /\b(your|the)\s+(real|actual|true|new|updated|revised)\s+(instructions|task|orders|directives|system prompt)\s+(is|are|follow|below)\b/i,
      /\bnew\s+(system\s+)?(instructions|directives|rules)\s*:/i,
      /\b(the\s+)?(text|content|everything)\s+(above|before this)\s+(was|is)\s+(just\s+|only\s+|merely\s+)?(data|the (proposal|input|description))\b/i,
    ],
  },
  {
    kind: "fake-verdict",
    title: "contains a ready-made analysis verdict",
    patterns: [
      /\brisk(\s*score|_score|score|\s*level|\s*floor|\s*rating)?\s*[:=]\s*["']?(0(\s*\/\s*100)?|0\.0|none|zero|minimal|negligible|no risk)(?!\.\d|\d|%)\b/i,
      /\brecommendation\s*[:=]\s*["']?(for|approve|approved|yes|vote for|safe)\b/i,
      new RegExp(`["'](risk|riskFloor|risk_floor|recommendation)["']\\s*:\\s*["']?${FAVOURABLE}\\b`, "i"),
      /["'](risk|riskFloor|recommendation|scores|findings|severity)["']\s*:[\s\S]{0,200}?["'](risk|riskFloor|recommendation|scores|findings)["']\s*:/,
      /\b(analysis|audit|review|security check|scan|assessment)\s*(result|status|outcome|verdict)?\s*[:=]\s*["']?(passed|pass|clean|approved|safe|no issues|ok)\b/i,
      new RegExp(`\\b(pre-?approved|pre-?cleared|already (been )?(verified|analy[sz]ed|approved|reviewed|cleared)|verified safe|whitelisted)\\b[^.\\n]{0,40}\\b(by|from)\\b[^.\\n]{0,20}\\b(ai|analyst|analy[sz]er|model|auditors?|security (team|council)|reviewers?)\\b`, "i"),
      new RegExp(`\\b(verified|certified|confirmed|approved|cleared)\\s+(as\\s+)?(safe|benign|harmless)\\s+by\\s+(the\\s+)?${REVIEWER}\\b`, "i"),
    ],
  },
  {
    kind: "role-play",
    title: "uses chat or role-play markup",
    patterns: [
      /<\/?\s*(system|assistant|user|human|instructions?|prompt|im_start|im_end|analysis|report|sys|developer|tool)\s*>/i,
      /\[\/?(INST|SYS|SYSTEM|ASSISTANT|USER)\]/,
      /<<\/?SYS>>/,
      /<\|[a-z_]+\|>/i,
      /^\s*(system|assistant|human|user|developer)\s*(\(.{0,20}\))?\s*:/im,
      /\b(pretend|imagine)\s+(that\s+)?(you\s+are|you're|to\s+be|you\s+were)\b/i,
      /\b(role-?play|roleplay)\s+(as|that)\b/i,
      /\blet'?s\s+play\s+a\s+game\b/i,
      /\byou\s+are\s+(now|no\s+longer)\s+(?!(?:able|eligible|entitled|free\s+to|ready|invited|welcome|required|responsible|allowed|asked|encouraged|in\s+charge\s+of\s+the\s+(?:treasury|budget))\b)/i,
      /\b(you'?re|you\s+are)\s+(?:an?\s+|the\s+|my\s+)?(?:[\w-]+\s+){0,3}(?:assistant|ai|analyst|reviewer|auditor|bot|model|agent)\s+(?:that|who|which|whose)\s+(?:always|only|never|must|will)\b/i,
      /\bfrom\s+now\s+on,?\s+(you\s+(will|must|shall|are)\s+(act|respond|answer|behave|reply|approve|ignore|always|only|an?\s+(?:[\w-]+\s+){0,2}(assistant|ai|analyst|reviewer|bot|model|agent))|act|respond|answer|behave)\b/i,
      /(?:^|[.!?:;]\s+|\n|\byou\s+(?:will|must|should|shall|are to)\s+|\bplease\s+|\bnow\s+)(act|behave|respond|answer|reply)\s+(as|like)\s+(?:if\s+you\s+(?:are|were)\s+)?(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}(assistant|ai|analyst|reviewer|auditor|bot|model|agent|gpt|dan|approver|persona|character)\b(?!\s+(?:of|for)\s+the\s+dao)/i,
      /\b(new|alternate|alternative|different)\s+persona\b/i,
      /\b(jailbreak|jailbroken|developer\s+mode|god\s+mode|DAN\s+mode|maintenance\s+mode|unrestricted\s+mode|do\s+anything\s+now)\b/i,
      /\bas\s+your\s+(developer|creator|operator|administrator|admin|owner|programmer|maker|trainer|supervisor|system)\b/i,
      /^\s*#{1,6}\s*(system|instructions?|response|assistant|prompt)\s*:?\s*$/im,
    ],
  },
  {
    kind: "fake-delimiter",
    title: "imitates the delimiters of the analyst's prompt",
    patterns: [
      /<\/?\s*untrusted[-_ ]?(input|data|content)\b/i,
      /<\|\s*(endoftext|end_of_text|eot_id|eos|end|endofprompt|end_of_turn|eom_id)\s*\|>/i,
      /<\/\s*(description|data|document|context|proposal|input|user_input|user-input|untrusted|text|content)\s*>/i,
      /^\s*(```|~~~)\s*(system|instructions?|prompt|assistant|sys|developer)\s*$/im,
      /\b(begin|start)\s+(of\s+)?(the\s+)?(new\s+)?system\s+(prompt|message|instructions?)\b/i,
      /\bsystem\s+(prompt|override|message)\s*:/i,
      /\bnonce\s*=\s*["']?[0-9a-f]{4,}["']?\s*>/i,
    ],
  },
];

/** Other languages: "ignore the previous instructions" and "you are now …" in each. */
const MULTILINGUAL: InjectionFamily[] = [
  {
    kind: "reviewer-instructions",
    title: "addresses instructions to an automated reviewer",
    patterns: [
      // es
      u("\\B<(ignora|ignore|ignoren|olvida|olvide|omite|descarta|desatiende)\\B>[^.\\n]{0,40}\\B<(instrucciones|indicaciones|reglas|[oó]rdenes|directrices)\\B>"),
      // fr
      u("\\B<(ignore[zr]?|oublie[zr]?|ne tiens pas compte)\\B>[^.\\n]{0,40}\\B<(instructions|consignes|r[eè]gles|directives|ordres)\\B>"),
      // de
      u("\\B<(ignoriere|ignorieren|ignoriert|vergiss|vergessen|missachte|missachten)\\B>[^.\\n]{0,40}\\B<(anweisungen|instruktionen|regeln|vorgaben|befehle|richtlinien)\\B>"),
      // pt
      u("\\B<(ignore|ignora|ignorem|esque[cç]a|esquece|desconsidere|desconsidera)\\B>[^.\\n]{0,40}\\B<(instru[cç][oõ]es|regras|orienta[cç][oõ]es|ordens|diretrizes)\\B>"),
      // it
      u("\\B<(ignora|ignorate|ignori|dimentica|dimenticate|trascura|tralascia)\\B>[^.\\n]{0,40}\\B<(istruzioni|regole|direttive|indicazioni|ordini)\\B>"),
      // ru
      u("\\B<(игнорируй|игнорируйте|проигнорируй|проигнорируйте|забудь|забудьте|не обращай внимания на|не учитывай|отбрось)\\B>[^.\\n]{0,40}(инструкци|указани|правил|команд|директив)"),
      // zh
      u("(忽略|无视|忽视|不要理会|不要理睬|忘记|忘掉|忽略掉|無視|忽略之前)[^。\\n]{0,20}(指令|指示|说明|說明|规则|規則|提示|命令)"),
      // ja
      u("(以前|これまで|上記|前|先|上)の?[^。\\n]{0,15}(指示|命令|ルール|指令|プロンプト)[^。\\n]{0,15}(無視|忘れ)"),
      u("(指示|命令|ルール|指令|プロンプト)[^。\\n]{0,6}(を|は)?(すべて|全て)?(無視|忘れ)"),
      // ko
      u("(이전|앞의|위의|기존|모든)[^.\\n]{0,15}(지시|명령|지침|규칙|프롬프트)[^.\\n]{0,15}(무시|잊)"),
      // tr
      u("\\B<(önceki|yukarıdaki|tüm|bütün|daha önceki)\\B>[^.\\n]{0,30}(talimat|komut|kural|yönerge|direktif)[\\p{L}]*[^.\\n]{0,20}(yok say|görmezden gel|unut|dikkate alma|boş ver)"),
    ],
  },
  {
    kind: "role-play",
    title: "uses chat or role-play markup",
    patterns: [
      // es
      u("\\B<(ahora|a partir de ahora|desde ahora)\\B>,?\\s+(t[uú]\\s+)?(eres|ser[aá]s|act[uú]as?|vas a ser)\\B>"),
      u("\\B<(act[uú]a|finge|haz de cuenta|imagina)\\s+(como|que eres|ser)\\B>"),
      // fr
      u("\\B<(tu es|vous [eê]tes|tu seras|vous serez)\\s+(maintenant|d[eé]sormais|dor[eé]navant|à présent)\\B>"),
      u("\\B<([aà] partir de maintenant|d[eé]sormais|dor[eé]navant),?\\s+(tu|vous)\\B>"),
      u("\\B<(fais semblant|faites semblant|joue le r[oô]le|jouez le r[oô]le|agis comme|agissez comme)\\B>"),
      // de
      u("\\B<(du bist|sie sind|du wirst)\\s+(jetzt|nun|ab sofort|ab jetzt|von nun an)\\B>"),
      u("\\B<(ab jetzt|ab sofort|von nun an)\\s+(bist du|sind sie)\\B>"),
      u("\\B<(tu so,? als|tun sie so,? als|spiele die rolle|verhalte dich wie)\\B>"),
      // pt
      u("\\B<(agora|a partir de agora|de agora em diante),?\\s+(voc[eê]|tu)\\s+([eé]s?|ser[aá]s?|vai ser|age)\\B>"),
      u("\\B<(voc[eê] [eé]|tu [eé]s)\\s+agora\\B>"),
      u("\\B<(finja|finge|fa[cç]a de conta|aja como|atue como)\\B>"),
      // it
      u("\\B<(ora|adesso|da ora in poi|d'ora in poi|da adesso),?\\s+(tu\\s+)?(sei|sarai)\\B>"),
      u("\\B<(fingi di essere|fai finta di essere|comportati come|agisci come)\\B>"),
      // ru
      u("\\B<(теперь|отныне|с этого момента|с этой минуты),?\\s+(ты|вы)\\B>"),
      u("\\B<(ты|вы)\\s+(теперь|отныне)\\B>"),
      u("\\B<(притворись|притворитесь|представь, что ты|веди себя как|играй роль)\\B>"),
      // zh
      u("(你现在是|你現在是|您现在是|從現在開始你|从现在开始[，,]?你|从现在起[，,]?你|你将扮演|你將扮演|扮演一个|扮演一個|假装你是|假裝你是)"),
      // ja
      u("(あなたは(今から|これから|もう|今や|今日から)|(今から|これから)(あなた|君)は|のふりをして|として振る舞|を演じて)"),
      // ko
      u("((당신은|너는|넌)\\s*(이제|지금부터|앞으로)|(이제|지금부터|앞으로)\\s*(당신은|너는|넌)|인 척 하|역할을 (해|하|맡))"),
      // tr
      u("\\B<(sen artık|siz artık|artık sen)\\B>"),
      u("\\B<(artık|bundan sonra|şu andan itibaren)\\B>[^.\\n]{0,60}(asistan|yapay zeka|analist|denetçi|bot|model|yardımcı)(sın|sin|sun|sün|sınız|siniz|olacaksın)\\B>"),
      u("\\B<(gibi davran|rolü(nü)? oyna|-mış gibi yap|mış gibi yap)"),
    ],
  },
];

export const INJECTION_FAMILIES: InjectionFamily[] = [...ENGLISH, ...MULTILINGUAL];

/** Titles per kind (also for the encoded and target-context kinds the detector adds). */
export const KIND_TITLES: Record<string, string> = {
  "reviewer-instructions": "addresses instructions to an automated reviewer",
  "fake-verdict": "contains a ready-made analysis verdict",
  "role-play": "uses chat or role-play markup",
  "fake-delimiter": "imitates the delimiters of the analyst's prompt",
  "encoded-instructions": "hides instructions to a reviewer in an encoding (base64, hex, rot13, …)",
};

/** A line that is only an end/begin marker of the input ("=== END OF PROPOSAL ===", "[END OF DESCRIPTION]"). */
const MARKER_LINE =
  /^\s*([=\-*#_~<>[\](){}|/\\]{0,12})\s*(end|begin|start|close|closing)\s*(of\s+)?(the\s+)?(untrusted\s+|user\s+|proposal\s+|original\s+)?(input|data|proposal|description|document|context|prompt|message|text|content|system prompt|instructions|user input)\s*([=\-*#_~<>[\](){}|/\\]{0,12})\s*$/gim;

/** Marker lines count when delimited (`===`, `[ ]`, `<< >>`, `---`) or written in capitals: prose like "the end of the proposal" does not. */
export function findMarkerLines(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(MARKER_LINE)) {
    const delimited = (m[1] ?? "").length >= 1 || (m[7] ?? "").length >= 1;
    const body = m[0].replace(/[^A-Za-z ]/g, "").trim();
    const capitals = body.length > 0 && body === body.toUpperCase();
    if (delimited || capitals) out.push(m[0].trim());
    if (out.length >= 3) break;
  }
  return out;
}
