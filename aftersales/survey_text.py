"""What the bot says in a survey (after a resolved complaint, and the follow-up after delivery),
as (Simplified Chinese, English) pairs; Traditional Chinese is converted from the first."""
from __future__ import annotations

from aftersales.booking_text import pick

SAY = {
    "resolved_intro": ("{name} 已将您的投诉 {reference} 处理完毕：{resolution}",
                       "{name} has closed your complaint {reference}: {resolution}"),
    "settled": ("这样处理您满意吗？问题解决了吗？", "Is it settled for you?"),
    "settled_yes": ("解决了", "Yes, settled"),
    "settled_no": ("还没有解决", "No, it is not"),
    "settled_hint": ("请回答“解决了”或“没有”。", "Please answer yes or no."),
    "followup_intro": ("您好，{name}！您的爱车 {plate} {days}天前在{store}完成了维修保养（{reference}），"
                       "最近用车还好吗？耽误您一分钟做个回访评价。",
                       "Hello {name}! Your {plate} left {store} {days} days ago ({reference}). How is the car? "
                       "May I ask you for a one-minute rating?"),
    "scale": ("每项1-5分（5分最满意），也可以跳过；也可以一次发5个分数，如“5 5 4 5 5”。",
              "Each from 1 to 5 (5 is best), or skip; you can also send all five at once, like \"5 5 4 5 5\"."),
    "advisor": ("服务顾问的接待怎么样？", "How was your service advisor?"),
    "time": ("维修/等待时间满意吗？", "How was the repair and waiting time?"),
    "quality": ("维修质量怎么样？", "How was the quality of the repair?"),
    "price": ("价格是否合理？", "How fair was the price?"),
    "facilities": ("店内环境和设施怎么样？", "How were our facilities (lounge, parking, cleanliness)?"),
    "score_hint": ("请回复1到5的数字，或“跳过”。", "Please reply with a number from 1 to 5, or \"skip\"."),
    "skip": ("跳过", "Skip"),
    "comment": ("还有什么想对我们说的吗？（没有请回复“没有”）", "Anything else you'd like to tell us? (or \"no\")"),
    "no_comment": ("没有了", "Nothing else"),
    "thanks": ("感谢您的评价，我们会继续改进！", "Thank you for your feedback; it helps us improve!"),
    "thanks_stopped": ("好的，不打扰您了。感谢！", "No problem, I won't ask more. Thank you!"),
    "low_filed": ("很抱歉这次没让您满意。已为您登记 {reference}，{who}会在{first}前给您打电话了解情况。",
                  "I'm sorry we let you down. I've opened {reference} for you; {who} will call you by {first}."),
    "who_manager": ("服务经理{name}", "our service manager {name}"),
    "who_anyone": ("服务经理", "our service manager"),
    "reopened": ("明白，问题还没解决。投诉 {reference} 已重新打开并交给主管，{first}前会有专人联系您。",
                 "Understood, it is not settled. Complaint {reference} is open again and back with a supervisor; "
                 "someone will contact you by {first}."),
}


def say(key: str, language: str | None, **values) -> str:
    return pick(SAY[key], language).format(**values)
