"""Scene breakdowns (场次表) for the samples: a title's scenes, packed into its needed days.

:func:`draw_scenes` writes a title's script as a line producer would break it
down: per needed shoot day of a set type, scenes of 20–240 minutes that fill most
of a 12-hour day, so that first-fit decreasing packs them into exactly the days
the title needs (checked; drawn again if not). The scenes come in script order,
numbered by episode (``3-2`` is episode 3, scene 2), the set types first
appearing in the order of the title's needs. After packing, every packed day
gets its cast: each lead plays at least one scene that day (so a lead is booked
every shoot day, as without scenes), each supporting actor (配角) at least one
scene of the title. A scene's description names the characters in it, from
templates per set type (and per genre for 悬疑), with 内/外 and 日/夜 as the
template fits.

Everything is drawn from the ``random.Random`` passed in, never from the clock
or a hash-ordered set, so a seed gives the same scenes.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.domain.model import Need
from scheduler.domain.scenes import (
    DEFAULT_DAY_MINUTES,
    Scene,
    SceneDay,
    days_by_set_type,
    pack_scene_days,
)

SHORTEST_SCENE = 20
LONGEST_SCENE = 240
"""Minutes of shooting a sample scene takes, in steps of 5."""


@dataclass(frozen=True)
class Role:
    """An actor's part in one title: the character the descriptions name."""

    actor_id: str
    character: str


@dataclass(frozen=True)
class _Template:
    """A scene description with slots ``{a}`` (a lead), ``{b}`` and ``{c}`` (anyone else).

    ``couple``: a romance beat, so ``{b}`` is the other lead of the title.
    """

    text: str
    int_ext: str
    day_night: str = ""  # blank: either, drawn by the set type's habit
    couple: bool = False

    @property
    def size(self) -> int:
        return sum(f"{{{slot}}}" in self.text for slot in "abc")


def _t(text: str, int_ext: str = "内", day_night: str = "", *, couple: bool = False) -> _Template:
    return _Template(text, int_ext, day_night, couple)


TEMPLATES: dict[str, tuple[_Template, ...]] = {
    "办公室": (
        _t("{a}深夜加班，发现账目被人动了手脚", day_night="夜"),
        _t("{a}独自留在办公室，翻看一张旧照片", day_night="夜"),
        _t("{a}对着落地窗给对手打电话，语气平静", day_night="日"),
        _t("{a}收拾好工位的东西，抱着纸箱走出公司", day_night="日"),
        _t("{a}在会议室当众宣布撤资，{b}起身反驳", day_night="日"),
        _t("{a}把辞职信拍在{b}的办公桌上", day_night="日"),
        _t("{a}和{b}为收购方案争执不下", day_night="日"),
        _t("{a}在茶水间撞见{b}偷看自己的文件", day_night="日"),
        _t("{a}签下对赌协议，{b}在门外偷听", day_night="日"),
        _t("{b}把一份录音放给{a}听，{a}脸色大变", day_night="日"),
        _t("{a}在电梯里和{b}狭路相逢", day_night="日"),
        _t("{a}加班到深夜，{b}送来一份宵夜", day_night="夜"),
        _t("{a}与{b}、{c}当面对质，监控录像真相大白", day_night="日"),
        _t("{c}带着律师闯进总裁办，{a}和{b}寸步不让", day_night="日"),
        _t("{a}在董事会上力排众议，{b}和{c}面面相觑", day_night="日"),
    ),
    "别墅": (
        _t("{a}在书房翻出一份尘封的亲子鉴定", day_night="夜"),
        _t("{a}站在别墅露台上打电话，神色凝重", "外"),
        _t("{a}独自坐在空荡荡的客厅里", day_night="夜"),
        _t("{a}拖着行李箱离开别墅，没有回头", "外", "日"),
        _t("{a}回到别墅，发现{b}在客厅等了一整夜", day_night="夜"),
        _t("家宴上{b}当众刁难{a}，{a}冷静回击", day_night="夜"),
        _t("{b}把{a}的行李扔出卧室", day_night="日"),
        _t("{a}在别墅花园里向{b}求婚", "外", "夜", couple=True),
        _t("{a}被拦在别墅门外，{b}冷眼旁观", "外", "日"),
        _t("{a}和{b}在厨房一起做早餐，气氛微妙", day_night="日", couple=True),
        _t("{b}在书房门口拦住{a}，不许进去", day_night="夜"),
        _t("{a}在别墅门口把支票撕碎，甩在{b}面前", "外", "日"),
        _t("{a}和{b}在楼梯口争吵，{c}闻声赶来"),
        _t("泳池边{b}故意推{a}落水，{c}假装没看见", "外", "日"),
        _t("{c}在客厅宣布遗嘱，{a}和{b}同时站起", day_night="日"),
    ),
    "医院": (
        _t("{a}在手术室外来回踱步", day_night="夜"),
        _t("{a}在医院停车场被记者围堵", "外", "日"),
        _t("{a}坐在走廊长椅上，攥着一张化验单", day_night="夜"),
        _t("{a}一个人办完住院手续", day_night="日"),
        _t("{a}守在病床前，{b}推门进来带来坏消息"),
        _t("{b}把化验单交给{a}：结果不对劲", day_night="日"),
        _t("{a}当着{b}的面为病人施针，众医生目瞪口呆", day_night="日"),
        _t("{a}发现{b}偷偷换掉了病人的药", day_night="夜"),
        _t("{a}在医院门口淋雨，{b}撑伞赶来", "外", "夜"),
        _t("{a}和{b}在病房里第一次说出心里话", day_night="夜"),
        _t("{b}在诊室里劝{a}尽快手术", day_night="日"),
        _t("{a}在走廊撞见{b}和{c}低声交谈", day_night="日"),
        _t("{c}拦住{a}和{b}，不许他们进病房", day_night="夜"),
        _t("{a}醒来，病床边站着{b}和{c}", day_night="日"),
    ),
    "酒店套房": (
        _t("{a}独自在落地窗前打电话安排复仇计划", day_night="夜"),
        _t("{a}对着镜子试穿婚纱", day_night="日"),
        _t("{a}翻遍套房，找不到那枚戒指", day_night="日"),
        _t("{a}醒来发现身旁躺着{b}，两人都不记得昨夜", day_night="日", couple=True),
        _t("{a}在套房里与{b}签下契约婚姻协议", day_night="夜", couple=True),
        _t("{b}在{a}的酒里下了药", day_night="夜"),
        _t("{a}试穿婚纱，{b}推门而入", day_night="日", couple=True),
        _t("{a}和{b}隔着房门对话，谁也不肯先开门", day_night="夜"),
        _t("{b}把房卡塞进{a}手里，转身离开", day_night="夜"),
        _t("{a}推开套房的门，撞破{b}和{c}的约会", day_night="夜"),
        _t("{c}带人冲进套房，{a}挡在{b}身前", day_night="夜"),
    ),
    "餐厅": (
        _t("{a}一个人吃完生日蛋糕", day_night="夜"),
        _t("{a}在后厨洗完最后一摞盘子", day_night="夜"),
        _t("{a}在餐厅角落盯着门口，等的人始终没来", day_night="日"),
        _t("相亲宴上{a}把红酒泼在{b}脸上"),
        _t("{a}在餐厅打工，被{b}当众羞辱", day_night="日"),
        _t("{a}与{b}共进烛光晚餐，戒指藏在甜点里", day_night="夜", couple=True),
        _t("{a}替{b}挡下泼来的热汤", day_night="日"),
        _t("{a}请{b}吃饭，结账时才发现钱包丢了", day_night="夜"),
        _t("{b}点了一桌菜，逼{a}说出真相", day_night="日"),
        _t("家族聚餐，{c}宣布{a}和{b}的婚约", day_night="夜"),
        _t("{a}和{b}、{c}三人同桌，各怀心事", day_night="夜"),
    ),
    "卧室": (
        _t("{a}深夜惊醒，发现窗外有人影", day_night="夜"),
        _t("{a}对着镜子练习明天的发言", day_night="日"),
        _t("{a}在日记本上写下最后一页", day_night="夜"),
        _t("{a}收拾行李准备离开，{b}在门口拦住", day_night="夜"),
        _t("{a}和{b}隔着枕头划清界限，各睡一边", day_night="夜", couple=True),
        _t("{b}给发烧的{a}喂药，{a}假装睡着", day_night="夜"),
        _t("清晨{a}醒来，{b}端着早餐进门", day_night="日"),
        _t("{a}和{b}坐在床边，把话说开", day_night="夜", couple=True),
        _t("{b}在{a}的枕头下找到一封信", day_night="日"),
        _t("{c}推门撞见{a}和{b}，三人都愣住了", day_night="日"),
        _t("{a}躲在衣柜里，听{b}和{c}说话", day_night="夜"),
    ),
    "街道": (
        _t("{a}独自走在街头，接到一通陌生电话", "外", "夜"),
        _t("{a}在公交站台淋着雨等车", "外", "夜"),
        _t("{a}在早点摊前数着口袋里的零钱", "外", "日"),
        _t("{a}在街头被{b}的车拦下", "外"),
        _t("{a}骑电动车送外卖，与{b}的豪车擦碰", "外", "日"),
        _t("雨夜{a}追着{b}跑过整条街", "外", "夜"),
        _t("{a}在路边摊请{b}吃烧烤", "外", "夜"),
        _t("{a}在街角目送{b}上车离开", "外", "日"),
        _t("{b}在人群中认出{a}，叫住了对方", "外", "日"),
        _t("{c}带人围住{a}，{b}及时赶到", "外", "夜"),
        _t("{a}和{b}并肩走过夜市，{c}远远跟着", "外", "夜"),
    ),
    "古装宫殿": (
        _t("{a}深夜在烛下抄写兵书", day_night="夜"),
        _t("{a}跪在宫门外的雪地里", "外", "日"),
        _t("{a}独自登上城楼，望向北方", "外", "夜"),
        _t("{a}跪在大殿上为{b}求情", day_night="日"),
        _t("{b}在偏殿逼{a}喝下毒酒", day_night="夜"),
        _t("{a}在寝殿为{b}包扎伤口", day_night="夜"),
        _t("{a}在御花园偶遇{b}，二人对诗", "外", "日", couple=True),
        _t("{b}当众掌掴{a}，{a}隐忍不发", "外", "日"),
        _t("{a}与{b}在回廊下密谈", "外", "夜"),
        _t("{b}奉上一盏茶，{a}不动声色地换了杯", day_night="日"),
        _t("{c}宣旨册封{a}，{b}脸色骤变", day_night="日"),
        _t("{a}和{b}在殿前争执，{c}出面调停", "外", "日"),
    ),
    "咖啡厅": (
        _t("{a}独坐窗边，看着手机里的转账记录", day_night="日"),
        _t("{a}在咖啡厅打工，手忙脚乱地做拉花", day_night="日"),
        _t("{a}对着电脑改了一整夜的方案", day_night="夜"),
        _t("{a}与{b}在咖啡厅谈判，{b}推来一张支票", day_night="日"),
        _t("{a}去咖啡厅面试，面试官竟是{b}", day_night="日"),
        _t("{b}把咖啡泼在{a}身上，{a}反手回敬一杯", day_night="日"),
        _t("{a}和{b}隔窗偶遇，四目相对", couple=True),
        _t("{a}和{b}拼桌，发现拿错了对方的文件", day_night="日"),
        _t("{a}约{b}和{c}见面，摊牌当年的事", day_night="日"),
        _t("{a}和{b}正在约会，{c}突然出现", day_night="日", couple=True),
    ),
    "学校教室": (
        _t("{a}独自留在教室补作业", day_night="夜"),
        _t("{a}在讲台上擦干净黑板，写下一行字", day_night="日"),
        _t("{a}趴在课桌上睡着了", day_night="日"),
        _t("{a}在家长会上被{b}当众嘲讽", day_night="日"),
        _t("{a}替{b}解出黑板上的难题，全班震惊", day_night="日"),
        _t("{b}在课桌里发现{a}写的信", day_night="日"),
        _t("{a}在空教室里等{b}，夕阳照进窗户", day_night="日"),
        _t("{a}和{b}为一道题争得面红耳赤", day_night="日"),
        _t("{c}把{a}和{b}叫到讲台前训话", day_night="日"),
        _t("{a}在讲台上发言，{b}和{c}在台下交换眼神", day_night="日"),
    ),
    "豪车内景": (
        _t("{a}在车上接到电话，得知公司股价暴跌", day_night="日"),
        _t("{a}独自坐在车里，迟迟没有下车", day_night="夜"),
        _t("{a}在后座翻看一份调查报告", day_night="日"),
        _t("{a}坐在豪车后座，冷冷吩咐{b}开车"),
        _t("{a}在车里和{b}吵到一半，车停在路边", day_night="夜"),
        _t("{b}开车送{a}回家，一路沉默", day_night="夜"),
        _t("{a}在车里把戒指还给{b}", day_night="夜", couple=True),
        _t("{b}递给{a}一个文件袋，车窗缓缓升起", day_night="日"),
        _t("{c}开车，{a}和{b}在后座互不说话", day_night="日"),
        _t("{a}和{b}坐在后座，{c}从后视镜里偷看", day_night="夜"),
    ),
    "公寓客厅": (
        _t("{a}窝在沙发上看着旧视频落泪", day_night="夜"),
        _t("{a}把搬家纸箱一个个封好", day_night="日"),
        _t("{a}在客厅来回踱步，迟迟不敢拨出电话", day_night="夜"),
        _t("{a}下班回到出租屋，发现{b}已经做好了饭", day_night="夜"),
        _t("{a}和{b}在客厅为一张合照吵架", day_night="夜"),
        _t("{b}带着礼物登门，{a}不肯开门", day_night="日"),
        _t("{a}向{b}坦白自己的真实身份", day_night="夜"),
        _t("{a}和{b}挤在沙发上看电影", day_night="夜", couple=True),
        _t("{c}上门催租，{a}和{b}手忙脚乱", day_night="日"),
        _t("{a}和{b}正在吃饭，{c}不请自来", day_night="夜"),
    ),
}
"""Scene descriptions by set type; each type has scenes for one, two and three characters."""

GENRE_TEMPLATES: dict[str, dict[str, tuple[_Template, ...]]] = {
    "悬疑": {
        "办公室": (
            _t("{a}在监控室回放当晚的录像，{b}神色慌张", day_night="夜"),
            _t("{b}把一封匿名信放到{a}面前", day_night="日"),
            _t("{a}翻查失踪者的工作邮件，发现最后一封未发出", day_night="夜"),
            _t("{a}逐一盘问{b}和{c}，两人的说法对不上", day_night="日"),
        ),
        "医院": (
            _t("{a}在太平间认尸，{b}在一旁做笔录", day_night="夜"),
            _t("{a}调出病历，发现签名是伪造的", day_night="日"),
            _t("{b}在病房里向{a}说出那晚看到的人", day_night="日"),
            _t("{c}拦住{a}和{b}，不许他们进入病房", day_night="夜"),
        ),
        "街道": (
            _t("{a}在案发街口找到一只高跟鞋", "外", "夜"),
            _t("{a}跟踪{b}穿过夜市", "外", "夜"),
            _t("{c}把{a}和{b}堵在巷子口", "外", "夜"),
        ),
        "公寓客厅": (
            _t("{a}撬开失踪者的家门，屋里一尘不染", day_night="夜"),
            _t("{a}和{b}复盘线索墙上的照片", day_night="夜"),
            _t("{c}来访，{a}和{b}交换了一个眼神", day_night="日"),
        ),
        "卧室": (
            _t("{a}在衣柜夹层里找到一本日记", day_night="夜"),
            _t("{b}深夜打来电话，{a}只听见呼吸声", day_night="夜"),
            _t("{a}和{b}在床底发现一段录音，{c}推门进来", day_night="夜"),
        ),
        "豪车内景": (
            _t("{a}坐在车里盯梢，{b}递来一杯热咖啡", day_night="夜"),
            _t("{a}在后备箱发现一件染血的外套", day_night="夜"),
            _t("{c}开车，{a}从后视镜里认出了{b}", day_night="夜"),
        ),
    },
}
"""Scenes that suit a genre better than the general ones, where a genre has its own habits."""

NIGHT_SHARE = {
    "办公室": 0.2,
    "别墅": 0.5,
    "医院": 0.3,
    "酒店套房": 0.6,
    "餐厅": 0.5,
    "卧室": 0.7,
    "街道": 0.45,
    "古装宫殿": 0.4,
    "咖啡厅": 0.15,
    "学校教室": 0.05,
    "豪车内景": 0.5,
    "公寓客厅": 0.5,
}
"""How often a scene of the set type is a night scene (夜) when its description does not say."""


def _words(text: str) -> tuple[str, ...]:
    """The space-separated words of ``text``: keeps long name pools on few lines."""
    return tuple(text.split())


MALE_LEADS = _words(
    "顾沉舟 陆景深 傅寒川 沈墨白 厉北辰 江屿 秦烈 霍庭深 薄司言 周野 程昱 叶凌风 许临 宋砚"
)
FEMALE_LEADS = _words(
    "林晚 苏念 沈清歌 叶蓁 许知意 温言 江若雪 唐心 乔安 宋微 夏沫 白露 安然 姜柚"
)
PERIOD_MALE_LEADS = _words("萧景珩 裴砚 顾长渊 楚昭 燕北辞 谢危 容珩")
PERIOD_FEMALE_LEADS = _words("沈清辞 苏婉宁 云裳 柳如烟 谢知鸢 姜雪宁 温梨")
BOSS_GENRES = ("都市", "甜宠", "战神", "萌宝", "重生")
"""Genres whose male lead the script may call 某总."""

SUPPORTING_PARTS = {
    (False, False): _words(
        "助理小{s} 管家老{s} 保镖阿{g} {s}医生 {s}董事长 司机老{s} {s}经理 {s}律师"
    ),
    (True, False): _words(
        "秘书小{s} 闺蜜{s}{g} {s}太太 护士小{s} {s}阿姨 表妹{s}{g} {s}律师 {s}姐"
    ),
    (False, True): _words("{s}公公 侍卫{s}{g} {s}太医 {s}将军 {s}尚书"),
    (True, True): _words("丫鬟{g}儿 {s}嬷嬷 {s}贵妃 {s}皇后 {s}才人"),
}
"""Supporting parts by (female, period drama): a role and a name, as a script's cast list has."""

_SURNAMES = _words("王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 马 胡 朱 郭 何 罗 高 林")
_GIVEN = {False: _words("浩 强 军 伟 杰 勇 涛 斌"), True: _words("芳 娟 敏 静 丽 艳 萍 玲")}


def lead_roles(
    rng: random.Random, leads: Sequence[tuple[str, bool]], genre: str
) -> tuple[Role, ...]:
    """The leads' characters: ``(actor_id, female)`` each, a name that suits the genre."""
    period = genre == "古装"
    names = {
        True: list(PERIOD_FEMALE_LEADS if period else FEMALE_LEADS),
        False: list(PERIOD_MALE_LEADS if period else MALE_LEADS),
    }
    roles: list[Role] = []
    for actor_id, female in leads:
        name = rng.choice(names[female])
        names[female].remove(name)
        if not female and genre in BOSS_GENRES and rng.random() < 0.4:
            name = f"{name[0]}总"  # the script calls the boss by his surname
        roles.append(Role(actor_id, name))
    return tuple(roles)


def supporting_roles(
    rng: random.Random, actors: Sequence[tuple[str, bool]], genre: str
) -> tuple[Role, ...]:
    """The supporting actors' parts in one title: ``(actor_id, female)`` each."""
    period = genre == "古装"
    roles: list[Role] = []
    taken: set[str] = set()
    for actor_id, female in actors:
        while True:
            part = rng.choice(SUPPORTING_PARTS[female, period])
            name = part.format(s=rng.choice(_SURNAMES), g=rng.choice(_GIVEN[female]))
            if name not in taken:
                taken.add(name)
                break
        roles.append(Role(actor_id, name))
    return tuple(roles)


def _day_of_minutes(rng: random.Random, day_minutes: int) -> list[int]:
    """Scene lengths filling one shoot day to 80–100 % of its minutes, within 20 minutes."""
    target = rng.randint(day_minutes * 4 // 5, day_minutes)
    minutes: list[int] = []
    while target - sum(minutes) >= SHORTEST_SCENE:
        room = (target - sum(minutes)) // 5 * 5
        minutes.append(min(5 * rng.randint(SHORTEST_SCENE // 5, LONGEST_SCENE // 5), room))
    return minutes


def _minutes_of_type(rng: random.Random, days: int, day_minutes: int) -> list[int]:
    """Scene lengths of one set type that first-fit decreasing packs into exactly ``days``."""
    for _ in range(100):
        minutes = [m for _ in range(days) for m in _day_of_minutes(rng, day_minutes)]
        rng.shuffle(minutes)  # the script does not shoot in the order it was written
        trial = [Scene("", str(i), "", m) for i, m in enumerate(minutes)]
        if len(pack_scene_days(trial, day_minutes)) == days:
            return minutes
    raise AssertionError(f"no scenes pack into {days} days")  # pragma: no cover


def _script_order(rng: random.Random, groups: Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    """``(group, minutes)`` interleaved at random, each group in its order, and each group's
    first scene after the first scene of the group before (set types first seen in order)."""
    order: list[tuple[int, int]] = []
    taken = [0] * len(groups)
    started = 0
    while True:
        open_groups = [g for g in range(started) if taken[g] < len(groups[g])]
        if started < len(groups):
            open_groups.append(started)
        if not open_groups:
            return order
        group = rng.choice(open_groups)
        started = max(started, group + 1)
        order.append((group, groups[group][taken[group]]))
        taken[group] += 1


def _scene_ids(rng: random.Random, count: int) -> list[str]:
    """``episode-scene`` numbers in script order: an episode has one to three scenes."""
    ids: list[str] = []
    episode, scene = 1, 0
    for _ in range(count):
        if scene and (scene == 3 or rng.random() < 0.45):
            episode, scene = episode + 1, 0
        scene += 1
        ids.append(f"{episode}-{scene}")
    return ids


SIZE_WEIGHT = {1: 1, 2: 6, 3: 2}
"""How often a scene has one, two or three named characters."""


def _day_scenes(
    rng: random.Random,
    set_type: str,
    genre: str,
    count: int,
    roles: tuple[Sequence[Role], Sequence[Role]],
    used: set[str],
) -> list[tuple[_Template, list[Role]]]:
    """The description and the cast (slot by slot) of each of a day's ``count`` scenes.

    Every lead leads at least one scene of the day (a day has at least three scenes
    and a title at most three leads); the others join as the second or third
    character. A description not yet used in the title is taken where one fits.
    """
    leads, supporting = roles
    own = GENRE_TEMPLATES.get(genre, {}).get(set_type, ())
    firsts = list(leads)
    rng.shuffle(firsts)
    firsts += [rng.choice(leads) for _ in range(count - len(firsts))]
    rng.shuffle(firsts)
    scenes: list[tuple[_Template, list[Role]]] = []
    for first in firsts:
        others = [role for role in (*leads, *supporting) if role != first]
        partners = [role for role in leads if role != first]
        fitting = [
            t
            for t in (*own, *TEMPLATES[set_type])
            if t.size - 1 <= len(others) and (partners or not t.couple)
        ]
        fresh = [t for t in fitting if t.text not in used] or fitting
        weights = [SIZE_WEIGHT[t.size] * (3 if t in own else 1) for t in fresh]
        template = rng.choices(fresh, weights=weights)[0]
        used.add(template.text)
        cast = [first]
        if template.couple:
            cast.append(rng.choice(partners))
            others.remove(cast[-1])
        cast += rng.sample(others, template.size - len(cast))
        scenes.append((template, cast))
    return scenes


def _with_everyone(
    rng: random.Random, scenes: list[tuple[_Template, list[Role]]], supporting: Sequence[Role]
) -> None:
    """Give each supporting actor a scene of the title, where the casting left one out: the
    second or third character of a scene, in place of someone who plays elsewhere too."""
    for role in supporting:
        if any(role in cast for _, cast in scenes):
            continue
        places = [
            (cast, slot)
            for template, cast in scenes
            for slot in range(1 + template.couple, len(cast))
            if sum(cast[slot] in other for _, other in scenes) > 1
        ]
        if places:
            cast, slot = rng.choice(places)
            cast[slot] = role


def draw_scenes(
    rng: random.Random,
    title_id: str,
    genre: str,
    needs: Sequence[Need],
    leads: Sequence[Role],
    supporting: Sequence[Role] = (),
    day_minutes: int = DEFAULT_DAY_MINUTES,
) -> tuple[Scene, ...]:
    """A title's scenes in script order, packing into exactly its ``needs`` per set type.

    Every lead plays on every packed day; every supporting actor in at least one scene.
    """
    assert leads, "a title with scenes has at least one lead"
    groups = [_minutes_of_type(rng, need.days, day_minutes) for need in needs]
    order = _script_order(rng, groups)
    ids = _scene_ids(rng, len(order))
    drafts = [
        Scene(title_id, scene_id, needs[group].set_type, minutes)
        for scene_id, (group, minutes) in zip(ids, order, strict=True)
    ]
    used: set[str] = set()
    written: dict[str, tuple[_Template, list[Role]]] = {}
    for day in pack_scene_days(drafts, day_minutes):
        roles = (leads, supporting)
        day_scenes = _day_scenes(rng, day.set_type, genre, len(day.scenes), roles, used)
        written.update(zip(day.scene_ids, day_scenes, strict=True))
    _with_everyone(rng, list(written.values()), supporting)
    scenes: list[Scene] = []
    for draft in drafts:
        template, cast = written[draft.scene_id]
        night = rng.random() < NIGHT_SHARE[draft.set_type]
        names = dict(zip("abc", (role.character for role in cast), strict=False))
        scenes.append(
            Scene(
                title_id,
                draft.scene_id,
                draft.set_type,
                draft.minutes,
                tuple(role.actor_id for role in cast),
                template.day_night or ("夜" if night else "日"),
                template.int_ext,
                template.text.format(**names),
            )
        )
    packed = days_by_set_type(pack_scene_days(scenes, day_minutes))
    wanted = {need.set_type: need.days for need in needs}
    assert list(packed.items()) == list(wanted.items()), (title_id, packed, wanted)
    return tuple(scenes)


def shoot_day_scenes(
    scene_days: Sequence[SceneDay], day_types: Sequence[str]
) -> list[tuple[str, ...]]:
    """The scene ids each shoot day shoots, the days taking the set types ``day_types``
    (in order): a type's packed days go to its shoot days first to last."""
    waiting: dict[str, list[SceneDay]] = {}
    for day in scene_days:
        waiting.setdefault(day.set_type, []).append(day)
    return [waiting[set_type].pop(0).scene_ids for set_type in day_types]
