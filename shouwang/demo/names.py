"""Made-up but plausible Chinese names and mobile numbers for the demo college.

Everything is drawn from a `random.Random` the caller passes in, so the same
seed gives the same people on every run.
"""

from __future__ import annotations

import random

# Surnames with rough weights: the national order, with the names that are
# commoner in Shanxi (郭, 武, 贾, 闫, 郝, 牛, 乔, 霍...) weighted up, since most
# of a provincial university's students and staff come from the province.
SURNAMES = (
    "王8 李8 张7 刘6 赵3 杨3 郭3 陈3 武2 贾2 闫2 郝2 田2 高2 梁2 韩2 冯2 程2 任2 薛2 "
    "孙2 周2 吴2 徐2 马2 朱1 胡1 何1 罗1 宋1 许1 曹1 董1 段1 史1 白1 侯1 乔1 牛1 霍1 "
    "申1 温1 成1 秦1 范1 魏1 吕1 卫1 苏1 崔1 姚1 康1 尹1 邢1 雷1 黄1 谢1 唐1 邓1 彭1 "
    "曾1 肖1 袁1 潘1 于1 蒋1 蔡1 杜1 叶1 丁1 姜1 石1 庞1 常1 柴1 岳1 原1 畅1 景1"
)
_SURNAME_LIST = [item[0] for item in SURNAMES.split()]
_SURNAME_WEIGHTS = [int(item[1:]) for item in SURNAMES.split()]

# Given-name characters by the gender they are usually given to; EITHER can go
# to anyone and mostly takes the first of two characters.
MALE = "伟强磊军洋勇杰涛明超浩宇轩博俊鹏飞昊睿泽凯志瑞阳宏斌鑫毅帅航翔锐恒辉峰健亮刚彬哲铭旭振晨"
FEMALE = "芳娜敏静丽婷雪琳欣怡悦佳梦诗涵萱琪颖璐倩晶慧玉妍婧媛雅蕾薇莹洁菲瑶璇彤楠丹燕月"
EITHER = "子一思晓嘉文可心家天安新艺雨春秋海"

# Allocated mobile prefixes (China Mobile, Unicom and Telecom).
MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "173 176 177 178 180 181 182 183 184 185 186 187 188 189 191 198 199"
).split()


class Faker:
    """Hands out names and mobile numbers, never the same one twice.

    Real colleges do have two 王磊s; the demo avoids them so that a name typed
    into the search box finds one person and the walkthrough stays unambiguous.
    """

    def __init__(self, reserved_names: tuple[str, ...] = ()) -> None:
        self.names: set[str] = set(reserved_names)
        self.mobiles: set[str] = set()

    def name(self, rng: random.Random, female: bool, single_share: float = 0.2) -> str:
        """A surname and a one- or two-character given name; `single_share` is the
        share of one-character given names (higher for older people)."""
        gendered = FEMALE if female else MALE
        while True:
            surname = rng.choices(_SURNAME_LIST, _SURNAME_WEIGHTS)[0]
            if rng.random() < single_share:
                given = rng.choice(gendered)
            else:
                given = rng.choice(EITHER + gendered) + rng.choice(gendered)
            name = surname + given
            if name not in self.names:
                self.names.add(name)
                return name

    def mobile(self, rng: random.Random) -> str:
        while True:
            mobile = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if mobile not in self.mobiles:
                self.mobiles.add(mobile)
                return mobile
