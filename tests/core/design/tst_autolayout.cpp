// SPDX-License-Identifier: Apache-2.0
// For every board of the database and every profile: the designed layout validates clean, and no slot
// could grow by one sector (at either end) without breaking a rule. Prints the application space.
#include "db/DeviceDatabase.h"
#include "design/AutoLayout.h"
#include "model/BootloaderProfile.h"
#include "rules/McubootRules.h"
#include "rules/RulePack.h"
#include "util/Numbers.h"

#include <QtTest>

using namespace flashplan;

namespace {

bool clean(const Layout& l) {
    const auto n = countSeverities(validate(l));
    return n.errors == 0 && n.warnings == 0;
}

std::string firstProblem(const Layout& l) {
    for (const Diagnostic& d : validate(l))
        if (d.severity != Severity::Info)
            return d.rule + ": " + d.message;
    return {};
}

bool hasExternal(const Board& b) {
    return std::any_of(b.devices.begin(), b.devices.end(),
                       [](const FlashDevice& d) { return isExternal(d.kind); }) &&
           std::any_of(b.devices.begin(), b.devices.end(),
                       [](const FlashDevice& d) { return !isExternal(d.kind); });
}

/// Board and profile pairs for which no layout can pass, and why; the designer must refuse them with a
/// reason.
struct Infeasible {
    const char* board;
    const char* profile;
    const char* why; ///< what the refusal must say
};
constexpr Infeasible kInfeasible[] = {
    // 4x32K, 1x128K, 3x256K: swap-using-move and -offset need every sector of both slots of one size, and the
    // slot holding the trailer keeps a whole sector for it plus one for the move, so at least 4 (or 5) equal
    // sectors after the bootloader; the F746 has 3 of 256 KiB and, once a bootloader has its 64 KiB, 2 of 32.
    {"stm32f746g_disco", "mcuboot-swap-move", "no room for an image"},
    {"stm32f746g_disco", "mcuboot-swap-offset", "no room for an image"},
};

const Infeasible* infeasible(const QString& board, const QString& profile, bool external) {
    for (const Infeasible& i : kInfeasible)
        if (!external && board == i.board && profile == i.profile)
            return &i;
    return nullptr;
}

} // namespace

class TestAutoLayout : public QObject {
    Q_OBJECT

    DeviceDatabase db_ = *DeviceDatabase::builtin();

private slots:
    void everyBoardAndProfile_data() {
        QTest::addColumn<QString>("board");
        QTest::addColumn<QString>("profile");
        QTest::addColumn<bool>("external");
        for (const Board& b : db_.boards())
            for (const ProfileInfo& p : allProfiles()) {
                QTest::addRow("%s %s", b.id.c_str(), std::string(p.id).c_str())
                    << QString::fromStdString(b.id) << QString::fromUtf8(p.id.data(), qsizetype(p.id.size()))
                    << false;
                if (hasExternal(b) && p.kind != BootloaderKind::None)
                    QTest::addRow("%s %s external", b.id.c_str(), std::string(p.id).c_str())
                        << QString::fromStdString(b.id)
                        << QString::fromUtf8(p.id.data(), qsizetype(p.id.size())) << true;
            }
    }
    void everyBoardAndProfile() {
        QFETCH(QString, board);
        QFETCH(QString, profile);
        QFETCH(bool, external);
        LayoutWishes wishes;
        wishes.profile = profile.toStdString();
        wishes.storageSize = 0x4000;
        wishes.secondaryOnExternal = external;
        const auto r = designLayout(*db_.find(board.toStdString()), wishes);
        if (const Infeasible* known = infeasible(board, profile, external)) {
            QVERIFY2(!r.ok(), "a layout was designed for a pair listed as infeasible: update kInfeasible");
            QVERIFY2(r.error().message.find("largest candidate fails with") != std::string::npos &&
                         r.error().message.find(known->why) != std::string::npos,
                     r.error().message.c_str());
            qInfo("%-22s %-24s no layout: %s", qPrintable(board), qPrintable(profile),
                  r.error().message.c_str());
            return;
        }
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        const Layout& l = *r;
        QVERIFY2(clean(l), firstProblem(l).c_str());
        qInfo("%-22s %-24s %-8s application space %s", qPrintable(board), qPrintable(profile),
              external ? "external" : "", formatSize(applicationSpace(l)).c_str());

        // No slot can grow by one sector at either end and stay valid.
        for (std::size_t i = 0; i < l.partitions.size(); ++i) {
            const Partition& p = l.partitions[i];
            if (p.role != PartitionRole::Slot0 && p.role != PartitionRole::Slot1)
                continue;
            const FlashDevice& d = *l.deviceOf(p);
            if (const auto after = d.sectors.sectorAt(p.end())) {
                Layout grown = l;
                grown.partitions[i].size += after->size;
                QVERIFY2(!clean(grown), (p.label + " could grow at its end").c_str());
            }
            if (p.offset > 0) {
                const Sector before = *d.sectors.sectorAt(p.offset - 1);
                Layout grown = l;
                grown.partitions[i].offset = before.offset;
                grown.partitions[i].size += before.size;
                QVERIFY2(!clean(grown), (p.label + " could grow at its start").c_str());
            }
        }
    }

    void applicationSpaceIsTheImageSpaceLessTheProfilesHeader() {
        const Board& nrf = *db_.find("nrf52840dk_nrf52840");
        LayoutWishes w;
        w.profile = "mcuboot-swap-scratch";
        const Layout mcuboot = *designLayout(nrf, w);
        // bootutil_max_image_size() less the 0x200 header imgtool puts in front of the application.
        QCOMPARE(applicationSpace(mcuboot), mcubootImageSpace(mcuboot, 0)->space.space - 0x200);

        w.profile = "wolfboot";
        Layout wolf = *designLayout(nrf, w);
        const Partition boot = wolf.partitions[std::size_t(wolf.indexOf("boot"))];
        QCOMPARE(applicationSpace(wolf), boot.size - 256); // IMAGE_HEADER_SIZE's default
        flashplan::setProperty(wolf.bootloader.settings, "IMAGE_HEADER_SIZE", "0x400");
        QCOMPARE(applicationSpace(wolf), boot.size - 0x400);

        w.profile = "none";
        const Layout none = *designLayout(nrf, w);
        QCOMPARE(none.partitions.size(), std::size_t(1));
        QCOMPARE(none.partitions[0].label, std::string("code_partition"));
        QCOMPARE(applicationSpace(none), none.partitions[0].size);
    }

    void layoutsTakeTheirShapeAndLabelsFromTheProfile() {
        const Board& f407 = *db_.find("stm32f4_disco");
        for (const ProfileInfo& p : allProfiles()) {
            LayoutWishes w;
            w.profile = p.id;
            const auto r = designLayout(f407, w);
            QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
            QCOMPARE(profileOf(r->bootloader), &p);
            const auto has = [&](std::string_view label, PartitionRole role) {
                const int i = r->indexOf(label);
                return i >= 0 && r->partitions[std::size_t(i)].role == role;
            };
            QCOMPARE(has(p.labels.boot, PartitionRole::Boot), p.shape.boot);
            QVERIFY(has(p.labels.primary, PartitionRole::Slot0));
            QCOMPARE(has(p.labels.secondary, PartitionRole::Slot1), p.shape.secondary);
            if (p.shape.extra)
                QVERIFY2(has(p.labels.extra, *p.shape.extra), std::string(p.id).c_str());
            else
                QCOMPARE(std::count_if(r->partitions.begin(), r->partitions.end(),
                                       [](const Partition& q) {
                                           return q.role == PartitionRole::Scratch ||
                                                  q.role == PartitionRole::Swap;
                                       }),
                         std::ptrdiff_t(0));
        }
    }

    void wishesAreHonoured() {
        LayoutWishes w;
        w.profile = "mcuboot-swap-scratch";
        w.bootloaderSize = 48 * 1024;
        w.storageSize = 24 * 1024;
        const Layout l = *designLayout(*db_.find("nrf52840dk_nrf52840"), w);
        QCOMPARE(l.partitions.front().label, std::string("boot_partition"));
        QCOMPARE(l.partitions.front().size, quint64(0xc000));
        QCOMPARE(l.partitions.back().label, std::string("storage_partition"));
        QCOMPARE(l.partitions.back().size, quint64(0x6000));
        QCOMPARE(l.partitions.back().end(), quint64(0x100000));
    }

    void impossibleWishesAreErrors() {
        LayoutWishes w;
        w.secondaryOnExternal = true;
        QVERIFY(!designLayout(*db_.find("stm32f4_disco"), w).ok()); // no external flash
        w = {};
        w.bootloaderSize = 2 * 1024 * 1024;
        QVERIFY(!designLayout(*db_.find("stm32f4_disco"), w).ok());
        w = {};
        w.profile = "mcuboot-sideways";
        QCOMPARE(designLayout(*db_.find("stm32f4_disco"), w).error().code, Errc::InvalidArgument);
    }
};

QTEST_APPLESS_MAIN(TestAutoLayout)
#include "tst_autolayout.moc"
