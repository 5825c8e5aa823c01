// The frame loop's timing without a display: a controllable t and now walk it through a page on
// screen, the fade to the next, new posts, a picture arriving and the minute turning, and each
// step checks what it draws, what it asks to be prepared and how long it sleeps.
#include "kiosk/app/FrameSchedule.h"

#include <gtest/gtest.h>

namespace kiosk {
namespace {

constexpr UnixTime kMinute = 1784000020; // 40 s into a minute

FrameInput at(double t, std::optional<double> nextChange, const std::string& page = "a;") {
    FrameInput in;
    in.t = t;
    in.now = kMinute + UnixTime(t);
    in.page = page;
    in.nextChangeAt = nextChange;
    return in;
}

TEST(FrameSchedule, ASettledPageDrawsOnceThenSleepsUntilTheNextThingDue) {
    FrameSchedule s;
    FramePlan first = s.plan(at(0, 10.0));
    EXPECT_TRUE(first.draw);
    EXPECT_TRUE(first.pageChanged);
    EXPECT_TRUE(first.publish);
    EXPECT_TRUE(first.refreshUpNext);
    EXPECT_FALSE(first.prepareNext); // the next page waits until 3 s before it shows
    EXPECT_GT(first.sleepMs, 0);
    s.drawn();
    FramePlan idle = s.plan(at(1, 10.0));
    EXPECT_FALSE(idle.draw); // nothing changed: no frame
    EXPECT_FALSE(idle.publish);
    EXPECT_EQ(idle.sleepMs, kEventCheckMs); // events are still looked at
}

TEST(FrameSchedule, TheNextPageIsPreparedALeadBeforeItShowsAndOnlyOnce) {
    FrameSchedule s;
    s.plan(at(0, 10.0));
    s.drawn();
    FramePlan early = s.plan(at(6.9, 10.0));
    EXPECT_FALSE(early.prepareNext);
    EXPECT_EQ(early.sleepMs, 100); // wakes when preparing is due (7.0), not at the page change
    FramePlan due = s.plan(at(7.0, 10.0));
    EXPECT_TRUE(due.prepareNext);
    EXPECT_FALSE(due.draw);
    EXPECT_FALSE(s.plan(at(7.5, 10.0)).prepareNext); // asked once
}

TEST(FrameSchedule, NewPostsOrAPictureAskForTheNextPageAgainButDrawOnlyForPosts) {
    FrameSchedule s;
    s.plan(at(0, 10.0));
    s.drawn();
    ASSERT_TRUE(s.plan(at(7.0, 10.0)).prepareNext);
    FrameInput posts = at(8.0, 10.0);
    posts.postsChanged = true;
    FramePlan p = s.plan(posts);
    EXPECT_TRUE(p.prepareNext); // what comes next may differ now
    EXPECT_TRUE(p.publish);
    EXPECT_TRUE(p.draw); // the rail and counts may show them
    s.drawn();
    FrameInput picture = at(8.5, 10.0);
    picture.mediaArrived = true;
    FramePlan q = s.plan(picture);
    EXPECT_TRUE(q.prepareNext);
    EXPECT_FALSE(q.draw); // the page on screen never changes under a reader's eyes
}

TEST(FrameSchedule, AFadeDrawsEveryTurnWithoutSleeping) {
    FrameSchedule s;
    s.plan(at(0, 10.0));
    s.drawn();
    FrameInput fading = at(10.1, 20.0, "b;");
    fading.inTransition = true;
    for (int i = 0; i < 3; ++i) {
        fading.t += 0.016;
        FramePlan p = s.plan(fading);
        EXPECT_TRUE(p.draw);
        EXPECT_EQ(p.sleepMs, 0);
        s.drawn();
    }
    FrameInput settled = at(11.0, 20.0, "b;");
    FramePlan last = s.plan(settled);
    EXPECT_FALSE(last.draw); // the fade's last frame was the settled page
    EXPECT_GT(last.sleepMs, 0);
}

TEST(FrameSchedule, ThePageOnScreenIsPreparedForTheComingMinuteAndRedrawnWhenItTurns) {
    FrameSchedule s;
    // A long page: 20 s until the minute turns (now is 40 s into it), 60 s until the next page.
    s.plan(at(0, 60.0));
    s.drawn();
    EXPECT_FALSE(s.plan(at(16.9, 60.0)).prepareMinute);
    FramePlan due = s.plan(at(17.0, 60.0));
    ASSERT_TRUE(due.prepareMinute);
    EXPECT_EQ(*due.prepareMinute, kMinute + 20);
    EXPECT_FALSE(s.plan(at(18, 60.0)).prepareMinute); // once a minute
    FramePlan turned = s.plan(at(20.0, 60.0));
    EXPECT_TRUE(turned.draw); // the clock and every "2 min" changed
    s.drawn();
    EXPECT_FALSE(s.plan(at(21.0, 60.0)).draw);
}

TEST(FrameSchedule, APageChangeBeforeTheMinuteLeavesTheMinuteToTheNextPage) {
    FrameSchedule s;
    s.plan(at(0, 18.0)); // changes at 18 s, the minute turns at 20 s
    s.drawn();
    EXPECT_FALSE(s.plan(at(17.0, 18.0)).prepareMinute);
}

TEST(FrameSchedule, TheWatchdogAndTheNextChangeShortenTheSleep) {
    FrameSchedule s;
    s.plan(at(0, 10.0));
    s.drawn();
    FrameInput ping = at(1, 10.0);
    ping.watchdogEvery = 0.05;
    EXPECT_EQ(s.plan(ping).sleepMs, 50);
    EXPECT_EQ(s.plan(at(9.96, 10.0)).sleepMs, 40);
    s.invalidate(); // the window was exposed
    EXPECT_TRUE(s.plan(at(9.97, 10.0)).draw);
}

} // namespace
} // namespace kiosk
