"""CJK Radicals Supplement code points read as the ideographs they stand for.

A PDF's text layer maps each glyph back to one code point. When a font gives an ideograph
and a radical the same glyph (Noto Sans CJK SC draws 民 and ⺠ alike), Chromium's and Edge's
"Save as PDF" may write the radical: ⼈⺠ for 人民, ⻔ for 门, ⻓ for 长. NFKC folds the Kangxi
Radicals block (U+2F00-U+2FD5) but only two of the CJK Radicals Supplement (U+2E80-U+2EF3),
so this table folds the rest.

Source: Unicode's EquivalentUnifiedIdeograph.txt (no installed package ships it; the table
was written by hand from a published copy and each entry checked with `unicodedata.name`),
keeping the entries whose ideograph is in the BMP. The three entries marked (*) are not in
that copy; they were confirmed by printing all 6763 GB2312 characters with Chromium and Noto
Sans CJK SC: the PDF wrote these radicals for 角, 辶 and 门, and every other Supplement
radical it wrote for a GB2312 character is in the table with that character. A radical without an equivalent ideograph (the top forms
⺮ ⺶ ⻗, the foot ⻊) is left as it is. Mapping to the glyph's ideograph, not the radical's
meaning: ⺼ (MEAT, drawn 月) is 月, never 肉.
"""

from __future__ import annotations

SUPPLEMENT: dict[int, int] = {
    0x2E80: 0x51AB,  # ⺀ -> 冫  REPEAT
    0x2E81: 0x5382,  # ⺁ -> 厂  CLIFF
    0x2E82: 0x4E5B,  # ⺂ -> 乛  SECOND ONE
    0x2E83: 0x4E5A,  # ⺃ -> 乚  SECOND TWO
    0x2E84: 0x4E59,  # ⺄ -> 乙  SECOND THREE
    0x2E85: 0x4EBB,  # ⺅ -> 亻  PERSON
    0x2E86: 0x5182,  # ⺆ -> 冂  BOX
    0x2E89: 0x5202,  # ⺉ -> 刂  KNIFE TWO
    0x2E8A: 0x535C,  # ⺊ -> 卜  DIVINATION
    0x2E8B: 0x353E,  # ⺋ -> 㔾  SEAL
    0x2E8E: 0x5140,  # ⺎ -> 兀  LAME ONE
    0x2E8F: 0x5C23,  # ⺏ -> 尣  LAME TWO
    0x2E90: 0x5C22,  # ⺐ -> 尢  LAME THREE
    0x2E92: 0x5DF3,  # ⺒ -> 巳  SNAKE
    0x2E93: 0x5E7A,  # ⺓ -> 幺  THREAD
    0x2E94: 0x5F51,  # ⺔ -> 彑  SNOUT ONE
    0x2E95: 0x5F50,  # ⺕ -> 彐  SNOUT TWO
    0x2E96: 0x5FC4,  # ⺖ -> 忄  HEART ONE
    0x2E97: 0x38FA,  # ⺗ -> 㣺  HEART TWO
    0x2E98: 0x624C,  # ⺘ -> 扌  HAND
    0x2E99: 0x6535,  # ⺙ -> 攵  RAP
    0x2E9B: 0x65E1,  # ⺛ -> 旡  CHOKE
    0x2E9D: 0x6708,  # ⺝ -> 月  MOON
    0x2E9E: 0x6B7A,  # ⺞ -> 歺  DEATH
    0x2E9F: 0x6BCD,  # ⺟ -> 母  MOTHER
    0x2EA0: 0x6C11,  # ⺠ -> 民  CIVILIAN
    0x2EA1: 0x6C35,  # ⺡ -> 氵  WATER ONE
    0x2EA2: 0x6C3A,  # ⺢ -> 氺  WATER TWO
    0x2EA3: 0x706C,  # ⺣ -> 灬  FIRE
    0x2EA5: 0x722B,  # ⺥ -> 爫  PAW TWO
    0x2EA6: 0x4E2C,  # ⺦ -> 丬  SIMPLIFIED HALF TREE TRUNK
    0x2EA8: 0x72AD,  # ⺨ -> 犭  DOG
    0x2EAB: 0x7F52,  # ⺫ -> 罒  EYE
    0x2EAC: 0x793A,  # ⺬ -> 示  SPIRIT ONE
    0x2EAD: 0x793B,  # ⺭ -> 礻  SPIRIT TWO
    0x2EAF: 0x7CF9,  # ⺯ -> 糹  SILK
    0x2EB0: 0x7E9F,  # ⺰ -> 纟  C-SIMPLIFIED SILK
    0x2EB1: 0x7F53,  # ⺱ -> 罓  NET ONE
    0x2EB3: 0x34C1,  # ⺳ -> 㓁  NET THREE
    0x2EB4: 0x34C1,  # ⺴ -> 㓁  NET FOUR
    0x2EB9: 0x8002,  # ⺹ -> 耂  OLD
    0x2EBA: 0x8080,  # ⺺ -> 肀  BRUSH ONE
    0x2EBC: 0x6708,  # ⺼ -> 月  MEAT
    0x2EBD: 0x81FC,  # ⺽ -> 臼  MORTAR
    0x2EBE: 0x8279,  # ⺾ -> 艹  GRASS ONE
    0x2EBF: 0x8279,  # ⺿ -> 艹  GRASS TWO
    0x2EC0: 0x8279,  # ⻀ -> 艹  GRASS THREE
    0x2EC1: 0x864E,  # ⻁ -> 虎  TIGER
    0x2EC2: 0x8864,  # ⻂ -> 衤  CLOTHES
    0x2EC3: 0x8980,  # ⻃ -> 覀  WEST ONE
    0x2EC4: 0x897F,  # ⻄ -> 西  WEST TWO
    0x2EC5: 0x89C1,  # ⻅ -> 见  C-SIMPLIFIED SEE
    0x2EC6: 0x89D2,  # ⻆ -> 角  SIMPLIFIED HORN  (*)
    0x2EC8: 0x8BA0,  # ⻈ -> 讠  C-SIMPLIFIED SPEECH
    0x2EC9: 0x8D1D,  # ⻉ -> 贝  C-SIMPLIFIED SHELL
    0x2ECB: 0x8F66,  # ⻋ -> 车  C-SIMPLIFIED CART
    0x2ECC: 0x8FB6,  # ⻌ -> 辶  SIMPLIFIED WALK  (*)
    0x2ECD: 0x8FB6,  # ⻍ -> 辶  WALK ONE
    0x2ECF: 0x961D,  # ⻏ -> 阝  CITY
    0x2ED0: 0x9485,  # ⻐ -> 钅  C-SIMPLIFIED GOLD
    0x2ED1: 0x9577,  # ⻑ -> 長  LONG ONE
    0x2ED2: 0x9578,  # ⻒ -> 镸  LONG TWO
    0x2ED3: 0x957F,  # ⻓ -> 长  C-SIMPLIFIED LONG
    0x2ED4: 0x95E8,  # ⻔ -> 门  C-SIMPLIFIED GATE  (*)
    0x2ED6: 0x961D,  # ⻖ -> 阝  MOUND TWO
    0x2ED8: 0x9752,  # ⻘ -> 青  BLUE
    0x2ED9: 0x97E6,  # ⻙ -> 韦  C-SIMPLIFIED TANNED LEATHER
    0x2EDA: 0x9875,  # ⻚ -> 页  C-SIMPLIFIED LEAF
    0x2EDB: 0x98CE,  # ⻛ -> 风  C-SIMPLIFIED WIND
    0x2EDC: 0x98DE,  # ⻜ -> 飞  C-SIMPLIFIED FLY
    0x2EDD: 0x98DF,  # ⻝ -> 食  EAT ONE
    0x2EDF: 0x98E0,  # ⻟ -> 飠  EAT THREE
    0x2EE0: 0x9963,  # ⻠ -> 饣  C-SIMPLIFIED EAT
    0x2EE2: 0x9A6C,  # ⻢ -> 马  C-SIMPLIFIED HORSE
    0x2EE3: 0x9AA8,  # ⻣ -> 骨  BONE
    0x2EE4: 0x9B3C,  # ⻤ -> 鬼  GHOST
    0x2EE5: 0x9C7C,  # ⻥ -> 鱼  C-SIMPLIFIED FISH
    0x2EE6: 0x9E1F,  # ⻦ -> 鸟  C-SIMPLIFIED BIRD
    0x2EE7: 0x5364,  # ⻧ -> 卤  C-SIMPLIFIED SALT
    0x2EE8: 0x9EA6,  # ⻨ -> 麦  SIMPLIFIED WHEAT
    0x2EE9: 0x9EC4,  # ⻩ -> 黄  SIMPLIFIED YELLOW
    0x2EEA: 0x9EFE,  # ⻪ -> 黾  C-SIMPLIFIED FROG
    0x2EEB: 0x6589,  # ⻫ -> 斉  J-SIMPLIFIED EVEN
    0x2EEC: 0x9F50,  # ⻬ -> 齐  C-SIMPLIFIED EVEN
    0x2EED: 0x6B6F,  # ⻭ -> 歯  J-SIMPLIFIED TOOTH
    0x2EEE: 0x9F7F,  # ⻮ -> 齿  C-SIMPLIFIED TOOTH
    0x2EEF: 0x7ADC,  # ⻯ -> 竜  J-SIMPLIFIED DRAGON
    0x2EF0: 0x9F99,  # ⻰ -> 龙  C-SIMPLIFIED DRAGON
    0x2EF1: 0x9F9C,  # ⻱ -> 龜  TURTLE
    0x2EF2: 0x4E80,  # ⻲ -> 亀  J-SIMPLIFIED TURTLE
    0x2EF3: 0x9F9F,  # ⻳ -> 龟  C-SIMPLIFIED TURTLE
}

_TABLE = {radical: chr(ideograph) for radical, ideograph in SUPPLEMENT.items()}


def fold(text: str) -> str:
    """Text with every CJK Radicals Supplement character that has an ideograph replaced."""
    return text.translate(_TABLE)
