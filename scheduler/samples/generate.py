"""Seeded sample scenarios: a tutorial, the Zhengzhou month and a ×10 cluster.

``generate(kind, seed)`` is deterministic: it draws from ``random.Random(seed)``
only, never reads the clock and never iterates a hash-ordered set, so the same
seed writes the same bytes.

Apart from the hand-made tutorial, a sample is built around a hidden
*reference plan*: crews are first booked day by day so that at least the
target number of titles shoots every day (keeping every rule of the spec,
outages, travel and rest days included), and each booked title becomes a
request whose window is widened around its booked days. Some extra requests
that the reference plan does not hold are added on top. So the targets are
reachable by construction — :func:`generate_with_reference` returns the plan
that proves it — yet a planner that takes titles one at a time and puts each
as early as it can (the greedy baseline) packs the first days, fragments
crews and popular sets, and falls short later in the month.

The tutorial and the Zhengzhou month come with scene breakdowns (scenes.csv,
:mod:`scheduler.samples.scene_breakdown`): each title's scenes pack into exactly
the days its needs say, its leads play on every one of those days, and
supporting actors (配角), new actors with lower day rates, take parts in several
titles. The scenes are drawn from a random stream of their own, so the titles,
needs and reference days are the ones the samples had before scenes.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import accumulate

from scheduler.domain.model import (
    Actor,
    Base,
    Crew,
    FilmSet,
    Need,
    Pin,
    Scenario,
    Targets,
    Title,
    Travel,
    Unavailability,
    UnavailableKind,
)
from scheduler.domain.plan import Plan, Shoot
from scheduler.domain.scenes import DEFAULT_DAY_MINUTES, pack_scene_days
from scheduler.samples.scene_breakdown import (
    Role,
    draw_scenes,
    lead_roles,
    shoot_day_scenes,
    supporting_roles,
)

KINDS: tuple[str, ...] = ("tutorial", "zhengzhou-month", "zhengzhou-full", "cluster-x10")

MONTH_START = date(2026, 12, 1)
MONTH_DAYS = 31

# -- name pools -----------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    """The space-separated words of ``text``: keeps long name pools on few lines."""
    return tuple(text.split())


SURNAMES = _words(
    "张 李 王 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 "
    "邓 曹 彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 "
    "陆 汪 范 金 石 廖 贾 夏 韦 付 方 白 邹 孟 熊 秦 邱 江 尹 薛 闫 段 雷 侯 龙 史 陶 黎 "
    "贺 顾 毛 郝 龚 邵 万 钱 严 武 戴 莫 孔 向 汤"
)
GIVEN_FEMALE = _words(
    "婷 雪 欣 怡 悦 琪 梦 佳 思 雨 诗 涵 晓 颖 露 薇 倩 瑶 妍 楠 菲 蕾 璐 萱 珊 岚 月 静 婉 清"
)
GIVEN_MALE = _words(
    "浩 宇 轩 泽 辰 博 文 杰 俊 凯 磊 鹏 昊 然 睿 峰 明 伟 强 晨 天 一 子 逸 航 宁 锋 川 毅 哲"
)
CHINESE_ORDINALS = _words("一 二 三 四 五 六 七 八 九 十")

CURATED_BASES: dict[str, tuple[str, ...]] = {
    "郑州": (
        "郑州金水影视基地",
        "郑东新区短剧产业园",
        "郑州二七影视城",
        "郑州高新区数字片场",
        "郑州航空港短剧基地",
        "郑州惠济黄河影视基地",
        "郑州中原影视产业园",
        "郑州管城摄影棚",
        "中牟电影小镇片场",
        "郑州经开区短剧工场",
        "新郑轩辕影视基地",
        "荥阳古城影视城",
    ),
    "开封": ("开封清明上河园影视基地", "开封宋都影视城", "开封龙亭短剧基地"),
    "洛阳": ("洛阳隋唐影视城", "洛阳龙门短剧基地", "洛阳应天门摄影棚"),
}
DISTRICTS: dict[str, tuple[str, ...]] = {
    "郑州": _words(
        "金水 郑东 二七 中原 管城 惠济 高新 航空港 经开 上街 中牟 新郑 荥阳 登封 新密 巩义"
    ),
    "开封": _words("龙亭 鼓楼 顺河 禹王台 祥符 尉氏 杞县 通许 兰考 朱仙镇"),
    "洛阳": _words("老城 西工 涧西 瀍河 洛龙 偃师 孟津 伊川 龙门 隋唐"),
}
BASE_SUFFIXES = _words("影视基地 短剧产业园 影视城 拍摄基地 数字片场 摄影棚 短剧工场 影视产业园")

SET_TYPES = (
    "办公室",
    "别墅",
    "医院",
    "酒店套房",
    "餐厅",
    "卧室",
    "街道",
    "古装宫殿",
    "咖啡厅",
    "学校教室",
    "豪车内景",
    "公寓客厅",
)
SET_RATE = {  # CNY a day: (low, high)
    "办公室": (1500, 2500),
    "别墅": (3500, 6000),
    "医院": (2500, 4000),
    "酒店套房": (2000, 3500),
    "餐厅": (1200, 2200),
    "卧室": (800, 1500),
    "街道": (1000, 2000),
    "古装宫殿": (4000, 8000),
    "咖啡厅": (1000, 1800),
    "学校教室": (1000, 1800),
    "豪车内景": (1500, 2500),
    "公寓客厅": (900, 1600),
}
SET_SUPPLY = {  # how often a set of the type is built: the popular types are scarce
    "办公室": 4,
    "别墅": 3,
    "医院": 2,
    "酒店套房": 4,
    "餐厅": 6,
    "卧室": 7,
    "街道": 6,
    "古装宫殿": 3,
    "咖啡厅": 7,
    "学校教室": 6,
    "豪车内景": 6,
    "公寓客厅": 7,
}

GENRES = ("都市", "甜宠", "悬疑", "古装", "战神", "萌宝", "重生")
GENRE_SHARE = {"都市": 20, "甜宠": 22, "悬疑": 9, "古装": 9, "战神": 13, "萌宝": 10, "重生": 17}
GENRE_SETS: dict[str, dict[str, int]] = {  # which set types a genre's scenes are shot in
    "都市": {"办公室": 4, "公寓客厅": 2, "咖啡厅": 2, "餐厅": 2, "街道": 2, "豪车内景": 1},
    "甜宠": {"别墅": 4, "办公室": 3, "卧室": 2, "咖啡厅": 2, "酒店套房": 2},
    "悬疑": {"医院": 3, "街道": 2, "公寓客厅": 2, "豪车内景": 1, "卧室": 1},
    "古装": {"古装宫殿": 1},
    "战神": {"别墅": 3, "豪车内景": 2, "酒店套房": 3, "街道": 1, "餐厅": 1},
    "萌宝": {"别墅": 3, "医院": 3, "学校教室": 2, "公寓客厅": 2},
    "重生": {"别墅": 3, "医院": 2, "卧室": 2, "办公室": 3, "学校教室": 1},
}

TITLE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "甜宠": (
        "闪婚后{boss}他真香了",
        "{boss}的契约{wife}",
        "被{boss}宠上天的{heroine}",
        "{heroine}替嫁后，{boss}追妻火葬场",
        "离婚后{boss}跪求复合",
        "隐婚{num}年，{boss}官宣了",
        "{boss}的掌心{heroine}",
    ),
    "都市": (
        "{hero}下山",
        "我的{hero}老公",
        "{job}竟是{rich}",
        "{place}{hero}",
        "开局{event}，我成了{rich}",
        "{hero}归来：{event}之后",
    ),
    "悬疑": (
        "{spot}的第{num}夜",
        "消失的{person}",
        "{person}的秘密",
        "{spot}疑云",
        "无声{person}",
        "{spot}里的{person}",
    ),
    "古装": (
        "{lady}谋：{prince}请自重",
        "{lady}倾城",
        "凤{verb}天下",
        "{prince}的小{lady}",
        "重生{lady}：{prince}宠妻无度",
        "{dynasty}{lady}传",
    ),
    "战神": (
        "{god}归来",
        "{region}{god}",
        "{god}出狱，{crowd}震动",
        "龙王殿之{god}{son}",
        "退役{god}护{family}",
        "{region}{god}：{son}的逆袭",
    ),
    "萌宝": (
        "天降{baby}：{dad}快追妈咪",
        "{baby}{num}岁半，{dad}宠上天",
        "{baby}助攻：{dad}追妻记",
        "带球跑后{dad}找上门",
        "我家{baby}是{rich}",
    ),
    "重生": (
        "重生{era}：{who}逆袭",
        "重生之{who}归来",
        "重回{year}当首富",
        "重生后我{deed}",
        "{who}重生：{deed}",
    ),
}
TITLE_WORDS: dict[str, tuple[str, ...]] = {
    "boss": _words("霸总 顾总 陆总 傅总 沈总 厉总 薄总 江总 总裁 大佬"),
    "wife": _words("娇妻 新娘 甜妻 小娇妻"),
    "heroine": _words("千金 小娇妻 假千金 真千金 灰姑娘 小秘书 契约新娘"),
    "num": _words("三 五 七 十三"),
    "hero": _words("神医 兵王 赘婿 龙婿 神豪 天师 少帅"),
    "job": _words("外卖员 保安 代驾 快递小哥 门卫大爷 实习生"),
    "rich": _words("首富 隐藏大佬 千亿财阀 神秘大佬 神医"),
    "place": _words("都市 江城 海城 云城 京城"),
    "event": _words("退婚 被裁 离婚 破产"),
    "spot": _words("雨夜 老宅 医院 404号房 旧楼 江边 古镇"),
    "person": _words("新娘 证人 房客 妻子 凶手 目击者"),
    "lady": _words("嫡女 庶女 医妃 毒妃 王妃 公主 郡主"),
    "prince": _words("王爷 摄政王 皇叔 世子 将军"),
    "verb": _words("临 鸣 归 倾"),
    "dynasty": _words("大唐 大宋 盛世 长安 汴京"),
    "god": _words("战神 龙王 狼王 兵王 至尊 龙帅"),
    "region": _words("北境 南疆 西域 东海"),
    "crowd": _words("全城 全球 豪门 京城"),
    "son": _words("赘婿 女婿 上门女婿"),
    "family": _words("妻女 家人 娇妻"),
    "baby": _words("萌宝 双宝 龙凤胎 三胞胎 天才萌宝"),
    "dad": _words("爹地 总裁爹地 霸总爹地 首富爹地 顾总"),
    "era": _words("八零 九零 七零 2000"),
    "who": _words("千金 嫡女 小知青 真千金 弃妇 女主"),
    "year": _words("1998 1985 2003 1992"),
    "deed": _words("嫁给了前夫他叔 不当舔狗了 撕了婚书 成了首富 虐渣打脸 手撕白莲"),
}

OUTAGE_NOTES: dict[UnavailableKind, tuple[str, ...]] = {
    "set": ("场景翻新", "设备检修", "布景改造"),
    "crew": ("导演请假", "设备进厂保养", "团建休整"),
    "actor": ("病假", "外地宣传活动", "综艺录制"),
    "base": ("基地停电检修", "消防检查"),
}

# -- recipes --------------------------------------------------------------------


@dataclass(frozen=True)
class Recipe:
    """Size and rules of one sample kind.

    ``busy_extra`` is how many crews beyond the target the reference plan keeps
    busy on a day (drawn uniformly from the range); ``slack`` is the most days
    a title's window reaches before and after its reference days; ``extra``
    is how many requests the reference plan does not hold.

    The fields after ``city_switch`` shape the benchmark family
    (:mod:`scheduler.samples.family`); their defaults are the samples' own, so
    the committed samples do not change. ``lengths`` are the shoot days a title
    may take with their weights (a title planted near the month's end or a
    crew's leave is shortened, never below the shortest); ``min_spare`` is
    the fewest spare days of a planted title's window; ``set_supply``
    replaces :data:`SET_SUPPLY`; a ``star_share`` of the actors are stars,
    drawn ``star_weight`` times as often; ``cast_sizes`` are the lead counts
    of a title with their weights. ``supporting_actors`` (配角) are added with
    scene breakdowns for every title; 0 means no scenes. With ``home_cities`` every
    actor gets a home city (actors.csv's ``home_city``, rule 11 when cities plan
    apart): the city where the reference plan shoots most of the actor's titles.
    """

    name: str
    cities: tuple[tuple[str, int], ...]
    sets_per_base: tuple[int, int]
    crews: int
    actors: int
    targets: Targets
    busy_extra: tuple[int, int]
    slack: int
    extra: int
    genre_crews: float
    genres_per_crew: tuple[int, int]
    full_rules: bool = False
    travel: tuple[tuple[str, str, int], ...] = ()
    rest_crews: float = 0.0
    capped_bases: float = 0.0
    outages: dict[UnavailableKind, int] = field(default_factory=dict)
    pins: int = 0
    city_switch: float = 0.0
    lengths: tuple[tuple[int, ...], tuple[int, ...]] = ((1, 2, 3), (11, 7, 2))
    min_spare: int = 2
    set_supply: dict[str, int] | None = None
    star_share: float = 0.125
    star_weight: int = 4
    cast_sizes: tuple[tuple[int, ...], tuple[int, ...]] = ((1, 2, 3), (3, 5, 2))
    supporting_actors: int = 0
    home_cities: bool = False


HENAN_TRAVEL = (("郑州", "开封", 1), ("郑州", "洛阳", 1), ("开封", "洛阳", 2))

RECIPES: dict[str, Recipe] = {
    "zhengzhou-month": Recipe(
        name="郑州基地群 2026年12月",
        cities=(("郑州", 12),),
        sets_per_base=(5, 7),
        crews=24,
        actors=64,
        targets=Targets(parallel_shoots_per_day=20, titles_per_month=400),
        busy_extra=(0, 1),
        slack=6,
        extra=30,
        genre_crews=0.35,
        genres_per_crew=(2, 3),
        supporting_actors=80,
    ),
    "zhengzhou-full": Recipe(
        name="郑州·开封·洛阳基地群 2026年12月（全规则）",
        cities=(("郑州", 6), ("开封", 3), ("洛阳", 3)),
        sets_per_base=(5, 7),
        crews=24,
        actors=64,
        targets=Targets(parallel_shoots_per_day=20, titles_per_month=400),
        busy_extra=(0, 2),
        slack=6,
        extra=30,
        genre_crews=0.85,
        genres_per_crew=(2, 4),
        full_rules=True,
        travel=HENAN_TRAVEL,
        rest_crews=0.4,
        capped_bases=0.5,
        outages={"set": 4, "crew": 3, "actor": 5, "base": 1},
        pins=3,
        city_switch=0.05,
    ),
    "cluster-x10": Recipe(
        name="河南基地群×10 2026年12月（基准测试）",
        cities=(("郑州", 70), ("开封", 30), ("洛阳", 20)),
        sets_per_base=(5, 7),
        crews=240,
        actors=600,
        targets=Targets(parallel_shoots_per_day=200, titles_per_month=4000),
        busy_extra=(3, 14),
        slack=6,
        extra=250,
        genre_crews=0.85,
        genres_per_crew=(2, 4),
        full_rules=True,
        travel=HENAN_TRAVEL,
        rest_crews=0.4,
        capped_bases=0.5,
        outages={"set": 30, "crew": 20, "actor": 40, "base": 5},
        pins=20,
        city_switch=0.05,
        home_cities=True,
    ),
}


# -- helpers ----------------------------------------------------------------------


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    """One key drawn with the given weights (keys in insertion order, so seeded)."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _ids(prefix: str, count: int, width: int = 0) -> list[str]:
    width = max(width, len(str(count)))
    return [f"{prefix}{number:0{width}d}" for number in range(1, count + 1)]


def _mask(first: int, last: int) -> int:
    return ((1 << (last - first + 1)) - 1) << first if first <= last else 0


def _run_before(busy: int, day: int) -> int:
    count = 0
    day -= 1
    while day >= 0 and busy >> day & 1:
        count += 1
        day -= 1
    return count


def _rate(rng: random.Random, low: int, high: int) -> int:
    """A day rate in CNY, rounded to 100."""
    return rng.randint(low // 100, high // 100) * 100


def _person_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        given = GIVEN_FEMALE if rng.random() < 0.55 else GIVEN_MALE
        name = rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2))))
        if name not in taken:
            taken.add(name)
            return name


def _title_name(rng: random.Random, genre: str, taken: set[str]) -> str:
    for _ in range(30):
        template = rng.choice(TITLE_TEMPLATES[genre])
        slots = [slot for _, slot, _, _ in string.Formatter().parse(template) if slot]
        name = template.format(**{slot: rng.choice(TITLE_WORDS[slot]) for slot in slots})
        if name not in taken:
            taken.add(name)
            return name
    for number in range(2, 100):  # a sequel, as the industry does
        sequel = f"{name}{number}"
        if sequel not in taken:
            taken.add(sequel)
            return sequel
    raise AssertionError("title names exhausted")  # pragma: no cover


def _is_female(name: str) -> bool:
    """Whether a name drawn by :func:`_person_name` is a woman's (its given name says)."""
    return name[-1] in GIVEN_FEMALE


def _base_names(rng: random.Random, city: str, count: int) -> list[str]:
    names = list(CURATED_BASES[city][:count])
    pool = [
        f"{city}{district}{suffix}"
        for district in DISTRICTS[city]
        for suffix in BASE_SUFFIXES
        if f"{city}{district}{suffix}" not in names
    ]
    rng.shuffle(pool)
    names.extend(pool[: count - len(names)])
    return names


# -- the reference plan ----------------------------------------------------------------


@dataclass
class _Booking:
    """One title of the reference plan, or an extra request (no crew, no days)."""

    genre: str
    length: int
    day_types: list[str]
    cast: list[str]
    first: int = -1
    crew_id: str = ""
    base_id: str = ""
    day_sets: list[str] = field(default_factory=list)


class _Sampler:
    """Builds one recipe's resources, its reference plan and its requests."""

    def __init__(self, recipe: Recipe, seed: int) -> None:
        self.recipe = recipe
        self.seed = seed
        self.rng = random.Random(seed)
        self.days = MONTH_DAYS
        self.horizon = _mask(0, self.days - 1)
        self.bases: list[Base] = []
        self.sets: list[FilmSet] = []
        self.crews: list[Crew] = []
        self.actors: list[Actor] = []
        self.star_weight: dict[str, int] = {}
        self.outages: list[Unavailability] = []
        self.closed: dict[tuple[str, str], int] = {}
        self.bookings: list[_Booking] = []
        self.booking_of: dict[str, _Booking] = {}
        self.travel = {(a, b): d for a, b, d in recipe.travel}

    # -- resources --------------------------------------------------------------

    def travel_days(self, from_city: str, to_city: str) -> int:
        if from_city == to_city:
            return 0
        return self.travel.get((from_city, to_city), self.travel.get((to_city, from_city), 1))

    def build_bases_and_sets(self) -> None:
        """Bases per city; each base gets a handful of sets, popular set types rarely."""
        rng = self.rng
        base_ids = _ids("B", sum(n for _, n in self.recipe.cities), 2)
        set_number = 0
        width = len(str(len(base_ids) * self.recipe.sets_per_base[1]))
        for city, count in self.recipe.cities:
            for name in _base_names(rng, city, count):
                base_id = base_ids[len(self.bases)]
                self.bases.append(Base(base_id, name, city))
                # historic cities build more palace sets: that is where 古装 is shot
                supply = dict(self.recipe.set_supply or SET_SUPPLY)
                if city in ("开封", "洛阳"):
                    supply["古装宫殿"] *= 3
                size = rng.randint(*self.recipe.sets_per_base)
                types: list[str] = []
                while len(types) < size:
                    set_type = _weighted(rng, supply)
                    if types.count(set_type) < 2:
                        types.append(set_type)
                for set_type in sorted(types, key=SET_TYPES.index):
                    set_number += 1
                    self.sets.append(
                        FilmSet(
                            f"S{set_number:0{width}d}",
                            base_id,
                            set_type,
                            _rate(rng, *SET_RATE[set_type]),
                        )
                    )

    def build_crews(self) -> None:
        """Crews named after their director; some shoot only a few genres, some need rest days."""
        rng = self.rng
        recipe = self.recipe
        surname_uses: dict[str, int] = {}
        for crew_id in _ids("C", recipe.crews, 2):
            surname = rng.choice(SURNAMES)
            uses = surname_uses.get(surname, 0)
            surname_uses[surname] = uses + 1
            name = f"{surname}导剧组" if uses == 0 else f"{surname}导{CHINESE_ORDINALS[uses]}组"
            genres: tuple[str, ...] = ()
            if rng.random() < recipe.genre_crews:
                picked = rng.sample(GENRES, rng.randint(*recipe.genres_per_crew))
                genres = tuple(sorted(picked, key=GENRES.index))
            in_row = rng.randint(5, 7) if rng.random() < recipe.rest_crews else None
            self.crews.append(
                Crew(
                    crew_id,
                    name,
                    rng.choice(self.bases).base_id,
                    _rate(rng, 18000, 32000),
                    genres,
                    in_row,
                )
            )

    def build_actors(self) -> None:
        """Lead actors; about one in eight is a star that many titles ask for."""
        rng = self.rng
        taken: set[str] = set()
        for actor_id in _ids("A", self.recipe.actors, 3):
            star = rng.random() < self.recipe.star_share
            rate = _rate(rng, 8000, 20000) if star else _rate(rng, 1500, 6000)
            self.actors.append(Actor(actor_id, _person_name(rng, taken), rate))
            self.star_weight[actor_id] = self.recipe.star_weight if star else 1
        self.actor_ids = [a.actor_id for a in self.actors]
        self.actor_cum_weights = list(accumulate(self.star_weight[a] for a in self.actor_ids))

    def build_outages(self) -> None:
        """Outages are drawn before the reference plan, which then works around them."""
        rng = self.rng
        pools: dict[UnavailableKind, list[str]] = {
            "set": [s.set_id for s in self.sets],
            "crew": [c.crew_id for c in self.crews],
            "actor": [a.actor_id for a in self.actors],
            "base": [b.base_id for b in self.bases],
        }
        longest = {"set": 5, "crew": 3, "actor": 4, "base": 3}
        for kind, count in self.recipe.outages.items():
            for resource_id in sorted(rng.sample(pools[kind], count)):
                length = rng.randint(1 if kind != "set" else 2, longest[kind])
                first = rng.randint(0, self.days - length)
                self.outages.append(
                    Unavailability(
                        kind,
                        resource_id,
                        MONTH_START + timedelta(days=first),
                        MONTH_START + timedelta(days=first + length - 1),
                        rng.choice(OUTAGE_NOTES[kind]),
                    )
                )
                key = (kind, resource_id)
                self.closed[key] = self.closed.get(key, 0) | _mask(first, first + length - 1)
        for film_set in self.sets:
            base_closed = self.closed.get(("base", film_set.base_id), 0)
            if base_closed:
                key = ("set", film_set.set_id)
                self.closed[key] = self.closed.get(key, 0) | base_closed

    # -- reference plan ------------------------------------------------------------

    def draw_length(self) -> int:
        """Shoot days of a title: by default 1 (55 %), 2 (35 %) or 3 (10 %).

        Mean 1.55: the reference plan shortens a few titles (month end, rest
        days, crew leave), which brings the requests to ≈ 1.5.
        """
        lengths, weights = self.recipe.lengths
        return self.rng.choices(lengths, weights=weights)[0]

    def draw_genre(self, crew: Crew | None) -> str:
        if crew is not None and crew.genres:
            weights = {g: GENRE_SHARE[g] for g in crew.genres}
        else:
            weights = GENRE_SHARE
        return _weighted(self.rng, weights)

    def draw_day_types(self, genre: str, length: int) -> list[str]:
        """Set type of each shoot day: often one type, sometimes two or three."""
        weights = GENRE_SETS[genre]
        if length == 1 or self.rng.random() < 0.5:
            return [_weighted(self.rng, weights)] * length
        return [_weighted(self.rng, weights) for _ in range(length)]

    def draw_cast(self, can_play: Callable[[str], bool] | None = None) -> list[str]:
        """One to three leads (mean ≈ 1.9), stars drawn more often; only actors who ``can_play``.

        Draws with rejection (a few dozen tries) rather than listing every free
        actor: the ×10 cluster has 600 of them.
        """
        rng = self.rng
        sizes, weights = self.recipe.cast_sizes
        size = rng.choices(sizes, weights=weights)[0]
        cast: list[str] = []
        for _ in range(60):
            if len(cast) == size:
                break
            actor_id = rng.choices(self.actor_ids, cum_weights=self.actor_cum_weights)[0]
            if actor_id in cast or (can_play is not None and not can_play(actor_id)):
                continue
            cast.append(actor_id)
        return sorted(cast)

    def plant(self) -> None:
        """Book crews day by day so that every day at least the target number shoots.

        On each day, idle crews (in random order) start a new title until the
        day's count is the target plus a little. A new title keeps the rules:
        the crew is free and not over its days in a row, the crew stays in its
        city unless it had time to travel, the sets are free at one base of
        that city, and the cast is free and could travel from its last city.
        """
        rng = self.rng
        recipe = self.recipe
        self.set_busy = {s.set_id: self.closed.get(("set", s.set_id), 0) for s in self.sets}
        self.actor_busy = {a.actor_id: 0 for a in self.actors}
        self.actor_last: dict[str, tuple[int, str]] = {}
        self.crew_busy = {c.crew_id: 0 for c in self.crews}
        self.crew_last: dict[str, tuple[int, str]] = {}
        self.bases_in_city: dict[str, list[Base]] = {}
        for base in self.bases:
            self.bases_in_city.setdefault(base.city, []).append(base)
        self.sets_of: dict[tuple[str, str], list[FilmSet]] = {}
        for film_set in self.sets:
            self.sets_of.setdefault((film_set.base_id, film_set.set_type), []).append(film_set)
        target = recipe.targets.parallel_shoots_per_day
        for day in range(self.days):
            busy = sum(1 for c in self.crews if self.crew_busy[c.crew_id] >> day & 1)
            want = target + rng.randint(*recipe.busy_extra)
            idle = [c for c in self.crews if self.can_start(c, day)]
            rng.shuffle(idle)
            for _ in range(3):  # crews that found nothing get two more tries
                left: list[Crew] = []
                for crew in idle:
                    if busy >= want:
                        break
                    if self.plant_title(crew, day):
                        busy += 1
                    else:
                        left.append(crew)
                idle = left

    def can_start(self, crew: Crew, day: int) -> bool:
        taken = self.crew_busy[crew.crew_id] | self.closed.get(("crew", crew.crew_id), 0)
        if taken >> day & 1:
            return False
        limit = crew.max_days_in_row
        return limit is None or _run_before(self.crew_busy[crew.crew_id], day) < limit

    def plant_title(self, crew: Crew, first: int) -> bool:
        rng = self.rng
        length = self.draw_length()
        # shorten to the horizon, the crew's next day off and its days in a row
        closed = self.closed.get(("crew", crew.crew_id), 0)
        length = min(length, self.days - first)
        for offset in range(1, length):
            if closed >> (first + offset) & 1:
                length = offset
                break
        if crew.max_days_in_row is not None:
            length = min(
                length, crew.max_days_in_row - _run_before(self.crew_busy[crew.crew_id], first)
            )
        shortest = min(self.recipe.lengths[0])
        if length < shortest:  # a long title does not fit before the month's end or a day off
            return False
        home_city = next(b.city for b in self.bases if b.base_id == crew.home_base_id)
        last_day, city = self.crew_last.get(crew.crew_id, (-99, home_city))
        if rng.random() < self.recipe.city_switch:
            others = [c for c, _ in self.recipe.cities if c != city]
            if others:
                other = rng.choice(others)
                if first - last_day - 1 >= self.travel_days(city, other):
                    city = other
        # a few tries with other genres and set types; the last ones shoot the fewest days
        placed = None
        for attempt in range(12):
            if attempt == 8:
                length = shortest
            genre = self.draw_genre(crew)
            day_types = self.draw_day_types(genre, length)
            placed = self.find_sets(city, day_types, first)
            if placed is not None:
                break
        if placed is None:
            return False
        last = first + length - 1
        base_id, day_sets = placed
        window = _mask(first, last)

        def can_play(actor_id: str) -> bool:
            taken = self.actor_busy[actor_id] | self.closed.get(("actor", actor_id), 0)
            return not taken & window and self.actor_can_travel(actor_id, first, city)

        cast = self.draw_cast(can_play)
        if not cast:
            return False
        for actor_id in cast:
            self.actor_busy[actor_id] |= window
            self.actor_last[actor_id] = (last, city)
        self.crew_busy[crew.crew_id] |= window
        self.crew_last[crew.crew_id] = (last, city)
        for offset, set_id in enumerate(day_sets):
            self.set_busy[set_id] |= 1 << (first + offset)
        self.bookings.append(
            _Booking(genre, length, day_types, cast, first, crew.crew_id, base_id, day_sets)
        )
        return True

    def actor_can_travel(self, actor_id: str, first: int, city: str) -> bool:
        last_day, last_city = self.actor_last.get(actor_id, (-99, city))
        return first - last_day - 1 >= self.travel_days(last_city, city)

    def find_sets(
        self, city: str, day_types: list[str], first: int
    ) -> tuple[str, list[str]] | None:
        """A base of the city with a free set of each day's type, and those sets."""
        bases = list(self.bases_in_city[city])
        self.rng.shuffle(bases)
        for base in bases:
            day_sets: list[str] = []
            for offset, set_type in enumerate(day_types):
                day = first + offset
                free = [
                    s.set_id
                    for s in self.sets_of.get((base.base_id, set_type), [])
                    if not self.set_busy[s.set_id] >> day & 1
                ]
                if not free:
                    break
                day_sets.append(free[0])
            else:
                return base.base_id, day_sets
        return None

    def add_extra_requests(self) -> None:
        """Requests the reference plan does not hold: they compete for the same resources."""
        combos = {
            frozenset(s.set_type for s in self.sets if s.base_id == b.base_id) for b in self.bases
        }
        for _ in range(self.recipe.extra):
            genre = self.draw_genre(None)
            length = self.draw_length()
            # ask only for set types that some base has together: a producer would
            for _ in range(100):
                day_types = self.draw_day_types(genre, length)
                if any(combo.issuperset(day_types) for combo in combos):
                    break
            else:  # pragma: no cover - only if no base has any set type the genre uses
                day_types = [self.rng.choice(self.sets).set_type] * length
            self.bookings.append(_Booking(genre, length, day_types, self.draw_cast()))

    # -- requests ---------------------------------------------------------------------

    def titles(self) -> tuple[list[Title], Plan]:
        """Requests in order of earliest start, with the reference plan's shoots."""
        rng = self.rng
        slack = self.recipe.slack
        drafts: list[tuple[int, int, float, _Booking]] = []
        for booking in self.bookings:
            if booking.first >= 0:
                # the reference days, widened by 0..slack days each side, and
                # never fewer than two spare days: a window is a few days at least
                first, last = booking.first, booking.first + booking.length - 1
                spare = max(self.recipe.min_spare, rng.randint(0, slack) + rng.randint(0, slack))
                before = rng.randint(0, spare)
                earliest = max(0, first - before)
                due = min(self.days - 1, last + spare - (first - earliest))
                earliest = max(0, min(earliest, due - booking.length - spare + 1))
            else:
                span = booking.length + rng.randint(2, 2 * slack)
                earliest = rng.randint(0, max(0, self.days - span))
                due = min(self.days - 1, earliest + span - 1)
            drafts.append((earliest, due, rng.random(), booking))
        drafts.sort(key=lambda draft: draft[:3])
        taken_names: set[str] = set()
        titles: list[Title] = []
        shoots: list[Shoot] = []
        for title_id, (earliest, due, _, booking) in zip(
            _ids("T", len(drafts), 4), drafts, strict=True
        ):
            self.booking_of[title_id] = booking
            needs: dict[str, int] = {}
            for set_type in booking.day_types:
                needs[set_type] = needs.get(set_type, 0) + 1
            titles.append(
                Title(
                    title_id,
                    _title_name(rng, booking.genre, taken_names),
                    booking.genre,
                    rng.choices((1, 2, 3, 4, 5), weights=(15, 25, 30, 20, 10))[0],
                    MONTH_START + timedelta(days=earliest),
                    MONTH_START + timedelta(days=due),
                    tuple(
                        Need(t, n)
                        for t, n in sorted(needs.items(), key=lambda i: SET_TYPES.index(i[0]))
                    ),
                    tuple(booking.cast),
                )
            )
            for offset, set_id in enumerate(booking.day_sets):
                shoots.append(
                    Shoot(
                        title_id,
                        MONTH_START + timedelta(days=booking.first + offset),
                        booking.base_id,
                        set_id,
                        booking.crew_id,
                    )
                )
        extra = {
            title.title_id: "参考方案之外追加的需求，参考方案没有安排"
            for title, (_, _, _, booking) in zip(titles, drafts, strict=True)
            if booking.first < 0
        }
        return titles, Plan(shoots=tuple(sorted(shoots)), unscheduled=extra)

    # -- scene breakdowns -------------------------------------------------------------

    def add_scenes(self, titles: list[Title], reference: Plan) -> tuple[list[Title], Plan]:
        """Every title with its scenes, supporting actors added, the reference plan's shoots
        with the scenes they shoot.

        Drawn from a stream of their own, so nothing drawn before changes. A planted
        title's supporting actors are free (travel included) on all its reference days,
        so the reference plan keeps every rule with them.
        """
        rng = random.Random(f"{self.seed}-scenes")
        taken = {actor.actor_id for actor in self.actors}
        names = {actor.name for actor in self.actors}
        total = len(self.actors) + self.recipe.supporting_actors
        supporting: list[Actor] = []
        for actor_id in _ids("A", total, 3):
            if actor_id not in taken:
                name = _person_name(rng, names)
                while name[1:] in ("子", "一"):  # 马子, 孙子: a given name no parent gives
                    name = _person_name(rng, names)
                supporting.append(Actor(actor_id, name, _rate(rng, 500, 1400)))
        self.actors.extend(supporting)
        female = {actor.actor_id: _is_female(actor.name) for actor in self.actors}
        booked: dict[str, list[tuple[int, int, str]]] = {a.actor_id: [] for a in supporting}
        city_of = {base.base_id: base.city for base in self.bases}
        shoots_of: dict[str, list[Shoot]] = {}
        for shoot in reference.shoots:
            shoots_of.setdefault(shoot.title_id, []).append(shoot)
        with_scenes: list[Title] = []
        shoots: list[Shoot] = []
        for title in titles:
            booking = self.booking_of[title.title_id]
            stay = (booking.first, booking.first + booking.length - 1)
            city = city_of.get(booking.base_id, "")
            free = [
                a.actor_id
                for a in supporting
                if booking.first < 0 or self.free_for(booked[a.actor_id], stay, city)
            ]
            count = min(len(free), rng.choices((1, 2, 3), weights=(4, 4, 2))[0])
            chosen = rng.sample(free, count)
            if booking.first >= 0:
                for actor_id in chosen:
                    booked[actor_id].append((*stay, city))
            leads = lead_roles(rng, [(a, female[a]) for a in title.cast], title.genre)
            parts = supporting_roles(rng, [(a, female[a]) for a in chosen], title.genre)
            scenes = draw_scenes(rng, title.title_id, title.genre, title.needs, leads, parts)
            with_scenes.append(replace(title, scenes=scenes))
            planted = shoots_of.get(title.title_id, [])
            if planted:
                packed = pack_scene_days(scenes, DEFAULT_DAY_MINUTES)
                days = shoot_day_scenes(packed, booking.day_types)
                shoots.extend(
                    replace(shoot, scenes=day) for shoot, day in zip(planted, days, strict=True)
                )
        return with_scenes, Plan(tuple(sorted(shoots)), reference.unscheduled)

    def free_for(
        self, stays: list[tuple[int, int, str]], stay: tuple[int, int], city: str
    ) -> bool:
        """Whether an actor booked on ``stays`` (first, last day, city) can take ``stay`` in
        ``city``: no day shared, and the travel days between cities free."""
        first, last = stay
        for other_first, other_last, other_city in stays:
            if other_last < first:
                if first - other_last - 1 < self.travel_days(other_city, city):
                    return False
            elif other_first > last:
                if other_first - last - 1 < self.travel_days(city, other_city):
                    return False
            else:
                return False
        return True

    def capped_bases(self, reference: Plan) -> None:
        """Cap some bases at the most titles the reference plan shoots there on one day."""
        load: dict[tuple[str, date], int] = {}
        for shoot in reference.shoots:
            key = (shoot.base_id, shoot.date)
            load[key] = load.get(key, 0) + 1
        peak: dict[str, int] = {}
        for (base_id, _), count in sorted(load.items()):
            peak[base_id] = max(peak.get(base_id, 0), count)
        capped: list[Base] = []
        for base in self.bases:
            if self.rng.random() < self.recipe.capped_bases:
                cap = max(1, peak.get(base.base_id, 0)) + self.rng.choice((0, 0, 1))
                base = Base(base.base_id, base.name, base.city, cap)
            capped.append(base)
        self.bases = capped

    def pins(self, titles: list[Title], reference: Plan) -> list[Pin]:
        """Pin a few titles of the reference plan where it put them: consistent by construction."""
        first_shoot: dict[str, Shoot] = {}
        for shoot in reference.shoots:
            first_shoot.setdefault(shoot.title_id, shoot)
        planted = [t.title_id for t in titles if t.title_id in first_shoot]
        pins: list[Pin] = []
        for number, title_id in enumerate(sorted(self.rng.sample(planted, self.recipe.pins))):
            shoot = first_shoot[title_id]
            style = number % 3  # published week / crew booked / base contract
            pins.append(
                Pin(
                    title_id,
                    start_date=shoot.date if style in (0, 1) else None,
                    base_id=shoot.base_id if style in (0, 2) else None,
                    crew_id=shoot.crew_id if style in (0, 1) else None,
                )
            )
        return pins

    def home_cities(self, titles: list[Title], reference: Plan) -> None:
        """Give every actor the city where the reference plan shoots most of their titles.

        Ties go to the city listed first in the recipe; an actor the reference plan
        never books gets a city drawn from a stream of its own (weighted by the city's
        bases), so nothing drawn before changes.
        """
        rng = random.Random(f"{self.seed}-home-cities")
        city_of_base = {base.base_id: base.city for base in self.bases}
        city_of_title: dict[str, str] = {}
        for shoot in reference.shoots:
            city_of_title.setdefault(shoot.title_id, city_of_base[shoot.base_id])
        order = [city for city, _ in self.recipe.cities]
        counts: dict[str, dict[str, int]] = {}
        for title in titles:
            city = city_of_title.get(title.title_id)
            if city is None:
                continue
            for actor_id in title.actors:
                by_city = counts.setdefault(actor_id, {})
                by_city[city] = by_city.get(city, 0) + 1
        weights = [count for _, count in self.recipe.cities]
        homes = []
        for actor in self.actors:
            titles_in = counts.get(actor.actor_id)
            if titles_in:
                home = max(order, key=lambda c: (titles_in.get(c, 0), -order.index(c)))
            else:
                home = rng.choices(order, weights)[0]
            homes.append(replace(actor, home_city=home))
        self.actors = homes

    def build(self) -> tuple[Scenario, Plan]:
        recipe = self.recipe
        self.build_bases_and_sets()
        self.build_crews()
        self.build_actors()
        if recipe.full_rules:
            self.build_outages()
        self.plant()
        self.add_extra_requests()
        titles, reference = self.titles()
        if recipe.supporting_actors:
            titles, reference = self.add_scenes(titles, reference)
        pins: list[Pin] = []
        if recipe.full_rules:
            self.capped_bases(reference)
            pins = self.pins(titles, reference)
        if recipe.home_cities:
            self.home_cities(titles, reference)
        scenario = Scenario(
            name=recipe.name,
            start_date=MONTH_START,
            days=self.days,
            bases=tuple(self.bases),
            sets=tuple(self.sets),
            crews=tuple(self.crews),
            actors=tuple(self.actors),
            titles=tuple(titles),
            unavailable=tuple(self.outages),
            travel=tuple(Travel(a, b, d) for a, b, d in recipe.travel),
            pins=tuple(pins),
            targets=recipe.targets,
        )
        return scenario, reference


# -- the tutorial -------------------------------------------------------------------------


def _tutorial() -> tuple[Scenario, Plan]:
    """Two bases, four sets, two crews, four leads, four supporting actors, six titles, one week.

    Built so that every title fits only in one way (see
    sample_data/tutorial/README.md): 消失的新娘 has a two-day window and needs
    林婉儿, who also leads the top-priority title, and it shares the one 医院
    set with 神医下山; 战神归来 and 重生八零 share 周逸. Each title has a scene
    breakdown whose leads play on every shoot day; a supporting actor plays in
    titles whose windows never meet (赵雅琴 in 神医下山 and 天降萌宝, 孙浩 in
    消失的新娘 and 战神归来, 何晓梅 in 消失的新娘 and 重生八零; 马国强 only in
    闪婚后霸总他真香了), so the scenes keep the plans possible as they were and add
    the supporting actors' days to the cost.
    """
    start = MONTH_START
    day = {n: start + timedelta(days=n - 1) for n in range(1, 8)}
    bases = (
        Base("B1", "郑州金水影视基地", "郑州"),
        Base("B2", "郑东新区短剧产业园", "郑州"),
    )
    sets = (
        FilmSet("S1", "B1", "办公室", 1500),
        FilmSet("S2", "B1", "别墅", 3500),
        FilmSet("S3", "B2", "医院", 2500),
        FilmSet("S4", "B2", "办公室", 1200),
    )
    crews = (
        Crew("C1", "张导剧组", "B1", 20000, ("都市", "甜宠", "重生")),
        Crew("C2", "李导剧组", "B2", 26000),
    )
    actors = (
        Actor("A1", "林婉儿", 12000),
        Actor("A2", "陈子轩", 5000),
        Actor("A3", "苏晴", 3000),
        Actor("A4", "周逸", 4000),
        Actor("A5", "赵雅琴", 1200),
        Actor("A6", "孙浩", 1000),
        Actor("A7", "何晓梅", 800),
        Actor("A8", "马国强", 1500),
    )
    parts: dict[str, tuple[tuple[Role, ...], tuple[Role, ...]]] = {  # leads, supporting
        "T1": ((Role("A1", "林晚"), Role("A2", "顾总")), (Role("A8", "顾董事长"),)),
        "T2": ((Role("A3", "苏念"),), (Role("A5", "护士小赵"),)),
        "T3": ((Role("A1", "沈清歌"),), (Role("A6", "孙警官"), Role("A7", "伴娘晓梅"))),
        "T4": ((Role("A4", "秦烈"),), (Role("A6", "副官阿浩"),)),
        "T5": ((Role("A2", "陆景深"), Role("A3", "许知意")), (Role("A5", "护士长赵姐"),)),
        "T6": ((Role("A4", "程昱"),), (Role("A7", "闺蜜晓梅"),)),
    }
    rng = random.Random("tutorial-scenes")  # hand-made roles, drawn scenes: never the seed

    def title(
        title_id: str, name: str, genre: str, priority: int, first: int, last: int,
        needs: dict[str, int], cast: tuple[str, ...],
    ) -> Title:  # fmt: skip
        return Title(
            title_id, name, genre, priority, day[first], day[last],
            tuple(Need(t, n) for t, n in needs.items()), cast,
        )  # fmt: skip

    titles: tuple[Title, ...] = (
        title("T1", "闪婚后霸总他真香了", "甜宠", 5, 1, 7, {"办公室": 1, "别墅": 1}, ("A1", "A2")),
        title("T2", "神医下山", "都市", 4, 1, 3, {"医院": 2}, ("A3",)),
        title("T3", "消失的新娘", "悬疑", 3, 1, 2, {"办公室": 1, "医院": 1}, ("A1",)),
        title("T4", "战神归来", "战神", 2, 3, 7, {"别墅": 2}, ("A4",)),
        title(
            "T5", "天降萌宝：爹地快追妈咪", "萌宝", 2, 5, 7, {"办公室": 1, "医院": 1}, ("A2", "A3")
        ),
        title("T6", "重生八零：千金逆袭", "重生", 1, 4, 7, {"办公室": 2}, ("A4",)),
    )
    titles = tuple(
        replace(t, scenes=draw_scenes(rng, t.title_id, t.genre, t.needs, *parts[t.title_id]))
        for t in titles
    )
    scenario = Scenario(
        name="教程：两个基地一周",
        start_date=start,
        days=7,
        bases=bases,
        sets=sets,
        crews=crews,
        actors=actors,
        titles=titles,
        targets=Targets(parallel_shoots_per_day=2, titles_per_month=24),
    )
    best = (  # title, day, base, set, crew — the one plan that holds all six titles
        ("T3", 1, "B2", "S3", "C2"),
        ("T3", 2, "B2", "S4", "C2"),
        ("T2", 2, "B2", "S3", "C1"),
        ("T2", 3, "B2", "S3", "C1"),
        ("T4", 3, "B1", "S2", "C2"),
        ("T4", 4, "B1", "S2", "C2"),
        ("T1", 4, "B1", "S1", "C1"),
        ("T1", 5, "B1", "S2", "C1"),
        ("T6", 6, "B1", "S1", "C1"),
        ("T6", 7, "B1", "S1", "C1"),
        ("T5", 6, "B2", "S3", "C2"),
        ("T5", 7, "B2", "S4", "C2"),
    )
    type_of = {film_set.set_id: film_set.set_type for film_set in sets}
    scenes_of: dict[tuple[str, int], tuple[str, ...]] = {}
    for t in titles:
        days = [(d, s) for title_id, d, _, s, _ in best if title_id == t.title_id]
        packed = pack_scene_days(t.scenes, DEFAULT_DAY_MINUTES)
        shot = shoot_day_scenes(packed, [type_of[s] for _, s in days])
        scenes_of.update(((t.title_id, d), ids) for (d, _), ids in zip(days, shot, strict=True))
    plan = Plan(
        shoots=tuple(sorted(Shoot(t, day[d], b, s, c, scenes_of[t, d]) for t, d, b, s, c in best))
    )
    return scenario, plan


# -- entry points -----------------------------------------------------------------------------


def generate_with_reference(kind: str, seed: int = 2026) -> tuple[Scenario, Plan]:
    """The sample scenario ``kind`` and a plan for it that reaches its targets.

    For the tutorial the plan is the best one (all six titles); for the
    others it is the hidden reference plan the sample was built around.
    """
    if kind == "tutorial":
        return _tutorial()
    if kind not in RECIPES:
        raise ValueError(f"unknown sample kind {kind!r}; expected one of {', '.join(KINDS)}")
    return _Sampler(RECIPES[kind], seed).build()


def sample_or_scenario(name: str, seed: int = 2026) -> Scenario:
    """A sample kind generated with ``seed``, or else the scenario folder or ``.xlsx`` at ``name``.

    What the developer commands (benchmarks, bounds) take as their SCENARIO argument.
    """
    if name in KINDS:
        return generate(name, seed=seed)
    from pathlib import Path

    from scheduler.io.validation import load_scenario

    return load_scenario(Path(name))


def generate(kind: str, seed: int = 2026) -> Scenario:
    """The seeded sample scenario ``kind`` (one of :data:`KINDS`).

    The same ``kind`` and ``seed`` always give the same scenario; the tutorial
    is hand-made and ignores the seed.
    """
    return generate_with_reference(kind, seed)[0]
