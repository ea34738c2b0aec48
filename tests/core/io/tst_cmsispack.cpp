// SPDX-License-Identifier: Apache-2.0
// CMSIS-Pack device import: the FlashDevice structure of .FLM files, the .pdsc family tree, and each trap
// of turning a pack's parts into boards, on small packs made for the test (tests/support/FlmBuilder.h).
#include "FlmBuilder.h"
#include "db/UserDeviceFolder.h"
#include "io/BoardXml.h"
#include "io/cmsis/FlmReader.h"
#include "io/cmsis/PackFolder.h"
#include "io/cmsis/PackImporter.h"
#include "io/cmsis/PdscReader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <map>

using namespace flashplan;
using namespace flashplan::cmsis;

namespace {

std::span<const std::uint8_t> bytesOf(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

/// The STM32F4's 1 MiB: 4 x 16 KiB, 1 x 64 KiB, 7 x 128 KiB, as ST's algorithm lists it.
flm::Device f4Flash(std::uint32_t size = 0x100000) {
    flm::Device d;
    d.name = "STM32F4xx 1MB Flash";
    d.size = size;
    d.sectors = {{0x4000, 0x0}, {0x10000, 0x10000}, {0x20000, 0x20000}};
    return d;
}

/// An algorithm of `size` bytes at `address` in sectors of one size, the list starting at `first`.
flm::Device uniformFlash(std::uint32_t address, std::uint32_t size, std::uint32_t sector,
                         std::uint32_t first = 0) {
    flm::Device d;
    d.address = address;
    d.size = size;
    d.sectors = {{sector, first}};
    return d;
}

/// A pack in memory: the .pdsc text and the algorithm files it names.
struct TestPack {
    std::string pdsc;
    std::map<std::string, std::string> files;

    Result<PackImport> import(std::span<const Board> known = {}) const {
        auto pack = readPdsc(pdsc, "Test.Pack.pdsc");
        if (!pack)
            return pack.error();
        return importPack(
            *pack,
            [&](const std::string& path) -> Result<std::string> {
                const auto it = files.find(path);
                if (it == files.end())
                    return makeError(Errc::NotFound, path + ": no such file in the pack");
                return it->second;
            },
            known);
    }
};

const Diagnostic* noteOf(const PackImport& in, const std::string& rule) {
    for (const Diagnostic& d : in.notes)
        if (d.rule == rule)
            return &d;
    return nullptr;
}

const Board* boardOf(const PackImport& in, const std::string& id) {
    for (const Board& b : in.boards)
        if (b.id == id)
            return &b;
    return nullptr;
}

#define REQUIRE_OK(r) QVERIFY2((r).ok(), (r).ok() ? "" : (r).error().toString().c_str())

} // namespace

class TestCmsisPack : public QObject {
    Q_OBJECT
private slots:
    void flmGivesTheFlashDeviceStructure() {
        flm::Device d = f4Flash();
        d.erased = 0xff;
        d.pageSize = 0x400;
        const auto dev = readFlm(bytesOf(flm::build(d)), "STM32F4xx_1024.FLM");
        REQUIRE_OK(dev);
        QCOMPARE(dev->name, std::string("STM32F4xx 1MB Flash"));
        QCOMPARE(dev->address, 0x08000000u);
        QCOMPARE(dev->size, 0x100000u);
        QCOMPARE(dev->pageSize, 0x400u);
        QCOMPARE(dev->erasedValue, std::uint8_t(0xff));
        QCOMPARE(dev->programTimeout, 100u); // read past valEmpty's padding: the offsets are right
        QCOMPARE(dev->eraseTimeout, 3000u);
        QCOMPARE(dev->sectors, *SectorMap::parse("4x16K, 1x64K, 7x128K")); // runs, not 12 sectors
        QVERIFY(!dev->absoluteSectors);
    }

    void flmSectorsStoredAsCpuAddressesAreRebased() {
        // The nRF5340 network core's algorithm: DevAdr 0x01000000 and AddrSector 0x01000000 too.
        flm::Device d = uniformFlash(0x01000000, 0x40000, 0x800, 0x01000000);
        const auto dev = readFlm(bytesOf(flm::build(d)), "nrf53xx_net.flm");
        REQUIRE_OK(dev);
        QVERIFY(dev->absoluteSectors);
        QCOMPARE(dev->sectors, *SectorMap::uniform(128, 0x800));
        // DevAdr 0: relative and absolute are the same reading, and nothing is rebased.
        d.address = 0;
        d.sectors = {{0x1000, 0}};
        QVERIFY(!readFlm(bytesOf(flm::build(d)), "nrf52.flm")->absoluteSectors);
    }

    void flmErrorsNameTheFileAndTheField_data() {
        QTest::addColumn<int>("fault");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("says");
        QTest::newRow("no symbol") << 0 << "FlashDevice"
                                   << "no FlashDevice symbol";
        QTest::newRow("no end pair") << 1 << "FlashDevice.sectors"
                                     << "without the 0xFFFFFFFF pair";
        QTest::newRow("backwards") << 2 << "FlashDevice.sectors[2].AddrSector"
                                   << "not after they start";
        QTest::newRow("not whole") << 3 << "FlashDevice.sectors[0].szSector"
                                   << "not a whole number";
        QTest::newRow("late start") << 4 << "FlashDevice.sectors[0].AddrSector"
                                    << "not at the device's start";
        QTest::newRow("past szDev") << 5 << "FlashDevice.sectors[1].AddrSector"
                                    << "past szDev";
    }
    void flmErrorsNameTheFileAndTheField() {
        QFETCH(int, fault);
        QFETCH(QString, field);
        QFETCH(QString, says);
        flm::Device d = f4Flash();
        switch (fault) {
        case 0:
            d.symbolName = "SomethingElse";
            break;
        case 1:
            d.terminated = false;
            break;
        case 2:
            d.sectors[2].address = 0x8000;
            break;
        case 3:
            d.sectors = {{0x3000, 0}};
            break;
        case 4:
            d.sectors = {{0x4000, 0x4000}};
            break;
        case 5:
            d.sectors = {{0x4000, 0}, {0x4000, 0x200000}};
            break;
        }
        const auto dev = readFlm(bytesOf(flm::build(d)), "bad.FLM");
        QVERIFY(!dev.ok());
        QCOMPARE(QString::fromStdString(dev.error().where.file), QString("bad.FLM"));
        QCOMPARE(QString::fromStdString(dev.error().field), field);
        QVERIFY2(QString::fromStdString(dev.error().message).contains(says), dev.error().message.c_str());
    }

    void aBrokenElfIsRefusedWithoutReadingPastIt() {
        const std::string good = flm::build(f4Flash());
        // Every truncation fails cleanly (the sanitizer build watches the reads).
        for (std::size_t n = 0; n < good.size(); n += 7)
            QVERIFY(!readFlm(bytesOf(good.substr(0, n)), "cut.FLM").ok());
        std::string lying = good;
        lying[48] = char(0xff); // e_shnum 255: the table runs off the end
        const auto r = readFlm(bytesOf(lying), "lying.FLM");
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find("section header table") != std::string::npos,
                 r.error().message.c_str());
    }

    void pdscInheritsDownTheTreeAndChildrenReplace() {
        const std::string text = flm::pdsc(R"(
    <family Dfamily="F" Dvendor="Acme:99">
      <memory name="Flash" access="rx" start="0x08000000" size="0x100000" default="1" startup="1"/>
      <memory id="IRAM1" start="0x20000000" size="0x20000"/>
      <algorithm name="Flash\F_1M.FLM" start="0x08000000" size="0x100000" default="1"/>
      <subFamily DsubFamily="F1">
        <algorithm name="Flash/F_OPT.FLM" start="0x1FFF0000" size="0x10"/>
        <device Dname="F1A">
          <memory name="Flash" access="rx" start="0x08000000" size="0x80000" default="1" startup="1"/>
          <variant Dvariant="F1AT6"/>
          <variant Dvariant="F1AU6"/>
        </device>
      </subFamily>
      <device Dname="F2">
        <memory id="IROM1" start="0x0" size="0x40000"/>
      </device>
    </family>
)");
        const auto pack = readPdsc(text, "Acme.F.pdsc");
        REQUIRE_OK(pack);
        QCOMPARE(pack->vendor, std::string("Test"));
        QCOMPARE(pack->version, std::string("1.2.3")); // the newest release comes first
        QCOMPARE(pack->devices.size(), std::size_t(3));
        const PdscDevice& v = pack->devices[0];
        QCOMPARE(v.name, std::string("F1AT6"));
        QCOMPARE(v.deviceName, std::string("F1A"));
        QCOMPARE(v.vendor, std::string("Acme"));
        QCOMPARE(v.subFamily, std::string("F1"));
        QCOMPARE(v.memories.size(), std::size_t(2)); // Flash replaced, not added
        QCOMPARE(v.memories[0].size, std::uint64_t(0x80000));
        QCOMPARE(v.algorithms.size(), std::size_t(2));                 // the family's and the sub-family's
        QCOMPARE(v.algorithms[0].file, std::string("Flash/F_1M.FLM")); // Windows separators turned
        QCOMPARE(pack->devices[1].name, std::string("F1AU6"));
        const PdscDevice& f2 = pack->devices[2];
        QCOMPARE(f2.memories.size(), std::size_t(3));   // old-style IROM1 beside the family's two
        QVERIFY(f2.memories[2].isFlash());              // IROM: read-only, executable
        QVERIFY(!f2.memories[1].isFlash());             // IRAM
        QCOMPARE(f2.algorithms.size(), std::size_t(1)); // the sub-family's OPT algorithm is not its
    }

    void pdscErrorsNameTheLineAndAttribute() {
        const auto pack = readPdsc(flm::pdsc("    <family Dfamily=\"F\">\n"
                                             "      <device Dname=\"X\">\n"
                                             "        <memory name=\"Flash\" access=\"rx\" start=\"lots\" "
                                             "size=\"0x1000\"/>\n"
                                             "      </device>\n    </family>\n"),
                                   "bad.pdsc");
        QVERIFY(!pack.ok());
        QCOMPARE(pack.error().where.file, std::string("bad.pdsc"));
        QCOMPARE(pack.error().where.line, 12); // the <memory>
        QCOMPARE(pack.error().field, std::string("start"));
    }

    void aPartGetsItsFlashAsOneBoardWithProvenance() {
        TestPack p{flm::pdsc(R"(
    <family Dfamily="STM32F4" Dvendor="STMicroelectronics:13">
      <device Dname="STM32F405RG">
        <memory name="Flash" access="rx" start="0x08000000" size="0x100000" default="1" startup="1"/>
        <memory name="SRAM" access="rwx" start="0x20000000" size="0x20000" default="1"/>
        <algorithm name="CMSIS/Flash/STM32F4xx_1024.FLM" start="0x08000000" size="0x100000" default="1"/>
      </device>
    </family>
)"),
                   {{"CMSIS/Flash/STM32F4xx_1024.FLM", flm::build(f4Flash())}}};
        const auto in = p.import();
        REQUIRE_OK(in);
        QCOMPARE(in->boards.size(), std::size_t(1));
        const Board& b = in->boards[0];
        QCOMPARE(b.id, std::string("STM32F405RG"));
        QCOMPARE(b.vendor, std::string("STMicroelectronics"));
        QCOMPARE(b.devices.size(), std::size_t(1));
        const FlashDevice& f = b.devices[0];
        QCOMPARE(f.cpuBase, std::optional<std::uint64_t>(0x08000000));
        QCOMPARE(f.sectors, *SectorMap::parse("4x16K, 1x64K, 7x128K"));
        QVERIFY(!f.writeBlockKnown); // a pack does not say it
        QVERIFY(b.source);
        QCOMPARE(b.source->kind, std::string("cmsis-pack"));
        QCOMPARE(b.source->vendor + "." + b.source->pack + " " + b.source->version,
                 std::string("Test.Pack 1.2.3"));
        QCOMPARE(b.source->file, std::string("Test.Pack.pdsc"));
        QCOMPARE(b.source->algorithms,
                 (std::vector<AlgorithmSource>{{"flash0", "CMSIS/Flash/STM32F4xx_1024.FLM", std::nullopt}}));

        // The board file keeps all of it, and reads back the same.
        pugi::xml_document xml;
        writeBoardXml(xml, b);
        std::ostringstream text;
        xml.save(text);
        QVERIFY(text.str().find("write-block=\"unknown\"") != std::string::npos);
        auto doc = XmlDocument::parse(text.str(), "user.xml");
        REQUIRE_OK(doc);
        const auto back = readBoardXml(*doc, doc->root());
        REQUIRE_OK(back);
        QCOMPARE(*back, b);
    }

    void anAlgorithmLargerThanThePartIsClipped() {
        // The 1 MiB algorithm serves the 512 KiB part: 4x16K, 1x64K, 3x128K of it.
        TestPack p{flm::pdsc(R"(
    <family Dfamily="STM32F4">
      <device Dname="HALF">
        <memory name="Flash" access="rx" start="0x08000000" size="0x80000" default="1" startup="1"/>
        <algorithm name="F4_1024.FLM" start="0x08000000" size="0x80000" default="1"/>
      </device>
      <device Dname="ODD">
        <memory name="Flash" access="rx" start="0x08000000" size="0x50000" default="1" startup="1"/>
        <algorithm name="F4_1024.FLM" start="0x08000000" size="0x100000" default="1"/>
      </device>
    </family>
)"),
                   {{"F4_1024.FLM", flm::build(f4Flash())}}};
        const auto half = p.import();
        QVERIFY(!half.ok());                   // ODD's 0x50000 ends inside the 128 KiB sector at 0x40000
        QCOMPARE(half.error().where.line, 18); // ODD's <algorithm>
        QVERIFY2(half.error().message.find("ODD") == std::string::npos &&
                     half.error().message.find("F4_1024.FLM") != std::string::npos,
                 half.error().message.c_str());

        p.pdsc.replace(p.pdsc.find("0x50000"), 7, "0x60000");
        const auto in = p.import();
        REQUIRE_OK(in);
        QCOMPARE(boardOf(*in, "HALF")->devices[0].sectors, *SectorMap::parse("4x16K, 1x64K, 3x128K"));
        QCOMPARE(boardOf(*in, "ODD")->devices[0].sectors, *SectorMap::parse("4x16K, 1x64K, 2x128K"));
        const Diagnostic* n = noteOf(*in, "cmsis.clipped");
        QVERIFY(n);
        QVERIFY2(n->message.find("Test.Pack.pdsc:14: HALF: algorithm F4_1024.FLM describes 1 MiB") == 0,
                 n->message.c_str());
    }

    void optionBytesOtpAndUicrAreNotFlashForPartitions() {
        const flm::Device uicr = uniformFlash(0x10001000, 0x1000, 0x1000);
        TestPack p{flm::pdsc(R"(
    <family Dfamily="M">
      <device Dname="M1">
        <memory id="IROM1" start="0x08000000" size="0x100000" default="1" startup="1"/>
        <memory name="UICR" access="rx" start="0x10001000" size="0x1000"/>
        <algorithm name="M_1024.FLM" start="0x08000000" size="0x100000" default="1"/>
        <algorithm name="M_OPT.FLM" start="0x1FFFC000" size="0x10" default="1"/>
        <algorithm name="M_INFO.FLM" start="0x10001000" size="0x1000" default="1"/>
        <algorithm name="M_QSPI.FLM" start="0x90000000" size="0x1000000"/>
      </device>
    </family>
)"),
                   {{"M_1024.FLM", flm::build(f4Flash())}, {"M_INFO.FLM", flm::build(uicr)}}};
        const auto in = p.import();
        REQUIRE_OK(in); // M_OPT.FLM and M_QSPI.FLM are never read: they program no flash region
        QCOMPARE(in->boards.size(), std::size_t(1));
        QCOMPARE(in->boards[0].devices.size(), std::size_t(1)); // the UICR region is named for what it is
        QCOMPARE(in->boards[0].devices[0].cpuBase, std::optional<std::uint64_t>(0x08000000));
        int notFlash = 0;
        for (const Diagnostic& d : in->notes)
            notFlash += d.rule == "cmsis.not-flash";
        QCOMPARE(notFlash, 3);
    }

    void anAliasOfTheSameFlashIsOneDevice() {
        // STM32F7: the flash at 0x08000000 (AXIM) and again at 0x00200000 (ITCM), both algorithms default.
        flm::Device itcm = f4Flash();
        itcm.address = 0x00200000;
        TestPack p{flm::pdsc(R"(
    <family Dfamily="STM32F7">
      <device Dname="STM32F746NG">
        <memory name="Flash" access="rx" start="0x08000000" size="0x100000" default="1" startup="1"/>
        <memory name="ITCM_Flash" access="rx" start="0x00200000" size="0x100000" default="0" startup="0"/>
        <algorithm name="F7x_1024.FLM" start="0x08000000" size="0x100000" default="1"/>
        <algorithm name="F7xTCM_1024.FLM" start="0x00200000" size="0x100000" default="1"/>
      </device>
    </family>
)"),
                   {{"F7x_1024.FLM", flm::build(f4Flash())}, {"F7xTCM_1024.FLM", flm::build(itcm)}}};
        const auto in = p.import();
        REQUIRE_OK(in);
        const Board& b = in->boards[0];
        QCOMPARE(b.devices.size(), std::size_t(1));
        QCOMPARE(b.devices[0].cpuBase, std::optional<std::uint64_t>(0x08000000)); // the startup view
        QCOMPARE(b.source->algorithms.size(), std::size_t(2));
        QCOMPARE(b.source->algorithms[1].alias, std::optional<std::uint64_t>(0x00200000));
        QVERIFY(noteOf(*in, "cmsis.alias"));
    }

    void banksThatFollowEachOtherAreOneDeviceApartTwo() {
        flm::Device bank = f4Flash();
        flm::Device bank2 = f4Flash();
        bank2.address = 0x08100000;
        TestPack p{flm::pdsc(R"(
    <family Dfamily="D">
      <device Dname="DUAL">
        <memory name="Bank1" access="rx" start="0x08000000" size="0x100000" default="1" startup="1"/>
        <memory name="Bank2" access="rx" start="0x08100000" size="0x100000" default="1"/>
        <algorithm name="B1.FLM" start="0x08000000" size="0x100000" default="1"/>
        <algorithm name="B2.FLM" start="0x08100000" size="0x100000" default="1"/>
      </device>
      <device Dname="APART">
        <memory name="Bank1" access="rx" start="0x08000000" size="0x100000" default="1" startup="1"/>
        <memory name="Bank2" access="rx" start="0x08200000" size="0x100000" default="1"/>
        <algorithm name="B1.FLM" start="0x08000000" size="0x100000" default="1"/>
        <algorithm name="B2.FLM" start="0x08200000" size="0x100000" default="1"/>
      </device>
    </family>
)"),
                   {{"B1.FLM", flm::build(bank)}, {"B2.FLM", flm::build(bank2)}}};
        const auto in = p.import();
        REQUIRE_OK(in);
        const Board* dual = boardOf(*in, "DUAL");
        QCOMPARE(dual->devices.size(), std::size_t(1));
        QCOMPARE(dual->devices[0].sectors, *SectorMap::parse("4x16K, 1x64K, 7x128K, 4x16K, 1x64K, 7x128K"));
        QCOMPARE(dual->devices[0].name, std::string("DUAL Bank1 + Bank2"));
        QVERIFY(noteOf(*in, "cmsis.banks"));
        const Board* apart = boardOf(*in, "APART");
        QCOMPARE(apart->devices.size(), std::size_t(2)); // both default: two banks, not an alias
        QCOMPARE(apart->devices[1].cpuBase, std::optional<std::uint64_t>(0x08200000));
    }

    void theNetworkCoresAbsoluteSectorsLandOnItsOwnDevice() {
        const flm::Device app = uniformFlash(0, 0x100000, 0x1000);
        const flm::Device net = uniformFlash(0x01000000, 0x40000, 0x800, 0x01000000);
        TestPack p{flm::pdsc(R"(
    <family Dfamily="nRF53">
      <device Dname="nRF5340_xxAA">
        <processor Pname="cpuapp"/><processor Pname="cpunet"/>
        <memory name="FLASH" access="rx" start="0x00000000" size="0x100000" default="1" startup="1" Pname="cpuapp"/>
        <memory name="FLASH_NET" access="rx" start="0x01000000" size="0x40000" default="1" startup="1" Pname="cpunet"/>
        <algorithm name="nrf53xx_app.flm" start="0x00000000" size="0x100000" default="1" Pname="cpuapp"/>
        <algorithm name="nrf53xx_net.flm" start="0x01000000" size="0x40000" default="1" Pname="cpunet"/>
      </device>
    </family>
)"),
                   {{"nrf53xx_app.flm", flm::build(app)}, {"nrf53xx_net.flm", flm::build(net)}}};
        const auto in = p.import();
        REQUIRE_OK(in);
        const Board& b = in->boards[0];
        QCOMPARE(b.devices.size(), std::size_t(2));
        QCOMPARE(b.devices[1].cpuBase, std::optional<std::uint64_t>(0x01000000));
        QCOMPARE(b.devices[1].sectors, *SectorMap::uniform(128, 0x800)); // not 16 MiB in
        QVERIFY(noteOf(*in, "cmsis.absolute-sectors"));
    }

    void aCoarserEraseThanTheDatasheetsIsReportedAndTheDatasheetWins() {
        // The SAMD21 pack's algorithm erases 16 KiB lock regions; the chip erases 256-byte rows.
        const flm::Device samd = uniformFlash(0, 0x40000, 0x4000);
        TestPack p{flm::pdsc(R"(
    <family Dfamily="SAMD21">
      <device Dname="ATSAMD21J18A">
        <memory id="IROM1" start="0x00000000" size="0x40000" default="1" startup="1"/>
        <algorithm name="ATSAMD21_256.FLM" start="0x00000000" size="0x40000" default="1"/>
      </device>
    </family>
)"),
                   {{"ATSAMD21_256.FLM", flm::build(samd)}}};
        Board known;
        known.id = "atsamd21_xpro";
        known.soc = "ATSAMD21J18A";
        FlashDevice rows;
        rows.id = "flash0";
        rows.cpuBase = 0;
        rows.sectors = *SectorMap::uniform(1024, 256);
        rows.writeBlockSize = 4;
        known.devices = {rows};
        const auto in = p.import(std::span(&known, 1));
        REQUIRE_OK(in);
        const FlashDevice& f = in->boards[0].devices[0];
        QCOMPARE(f.sectors, *SectorMap::uniform(1024, 256));
        QVERIFY(f.writeBlockKnown);
        QCOMPARE(f.writeBlockSize, 4u);
        const Diagnostic* n = noteOf(*in, "cmsis.coarser-erase");
        QVERIFY(n);
        QCOMPARE(n->severity, Severity::Warning);
        QVERIFY2(n->message.find("16x16K, coarser than the chip") != std::string::npos &&
                     n->message.find("atsamd21_xpro") != std::string::npos,
                 n->message.c_str());
        // Without the database, the pack's geometry stays and the write block is unknown.
        const auto alone = p.import();
        QCOMPARE(alone->boards[0].devices[0].sectors, *SectorMap::uniform(16, 0x4000));
        QVERIFY(!alone->boards[0].devices[0].writeBlockKnown);
    }

    void aMissingAlgorithmNamesTheElement() {
        TestPack p{flm::pdsc(R"(
    <family Dfamily="X">
      <device Dname="X1">
        <memory id="IROM1" start="0x0" size="0x1000" startup="1"/>
        <algorithm name="gone.FLM" start="0x0" size="0x1000" default="1"/>
      </device>
    </family>
)"),
                   {}};
        const auto in = p.import();
        QVERIFY(!in.ok());
        QCOMPARE(in.error().where.file, std::string("Test.Pack.pdsc"));
        QCOMPARE(in.error().where.line, 14); // the <algorithm>
        QVERIFY(in.error().message.find("gone.FLM") != std::string::npos);
    }

    void packsOnDisk() {
        QTemporaryDir dir;
        const QDir root(dir.path());
        QCOMPARE(locatePack((dir.path() + "/Keil.X.1.0.0.pack").toStdString()).error().code, Errc::NotFound);
        flm::writeFile(root, "Keil.X.1.0.0.pack", "PK\x03\x04");
        const auto zipped = locatePack((dir.path() + "/Keil.X.1.0.0.pack").toStdString());
        QCOMPARE(zipped.error().code, Errc::NotSupported);
        QVERIFY(zipped.error().message.find("unzip it first") != std::string::npos);

        flm::writeFile(root, "pack/Test.Pack.pdsc", flm::pdsc(R"(
    <family Dfamily="F">
      <device Dname="F405">
        <memory id="IROM1" start="0x08000000" size="0x100000" startup="1"/>
        <algorithm name="CMSIS\Flash\F4_1024.flm" start="0x08000000" size="0x100000" default="1"/>
      </device>
    </family>
)"));
        // The pack says .flm, the file is .FLM: found all the same.
        flm::writeFile(root, "pack/CMSIS/Flash/F4_1024.FLM", flm::build(f4Flash()));
        const auto in = importPackFrom((dir.path() + "/pack").toStdString(), {});
        REQUIRE_OK(in);
        QCOMPARE(in->boards.size(), std::size_t(1));
        QCOMPARE(importPackFrom((dir.path() + "/pack/Test.Pack.pdsc").toStdString(), {})->boards.size(),
                 std::size_t(1));
        QVERIFY(!readPackFile((dir.path() + "/pack").toStdString(), "../Keil.X.1.0.0.pack").ok());
    }

    void theUserFolderFollowsXdg() {
        QCOMPARE(userDeviceFolder("/data", "/home/u"), std::filesystem::path("/data/flashplan/devices"));
        QCOMPARE(userDeviceFolder(nullptr, "/home/u"),
                 std::filesystem::path("/home/u/.local/share/flashplan/devices"));
        QCOMPARE(userDeviceFolder("relative", "/home/u"), // relative: ignored, as the spec says
                 std::filesystem::path("/home/u/.local/share/flashplan/devices"));
        QVERIFY(userDeviceFolder(nullptr, nullptr).empty());
    }

    void aBoardFileThatWouldClashIsNotWritten() {
        QTemporaryDir dir;
        Board b;
        b.id = "stm32f4_disco"; // a compiled-in board's id
        FlashDevice f;
        f.id = "flash0";
        f.sectors = *SectorMap::uniform(4, 0x1000);
        b.devices = {f};
        const std::filesystem::path file = std::filesystem::path(dir.path().toStdString()) / "d" / "T.P.xml";
        const auto r = writeUserBoards(file, {b});
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("stm32f4_disco") != std::string::npos);
        QVERIFY(!std::filesystem::exists(file));
        b.id = "MY_PART";
        REQUIRE_OK(writeUserBoards(file, {b}));
        REQUIRE_OK(writeUserBoards(file, {b})); // replacing the same pack's file is no clash
        DeviceDatabase db;
        QVERIFY(addUserDevices(db, file.parent_path()).empty());
        QVERIFY(db.find("MY_PART"));
    }
};

QTEST_APPLESS_MAIN(TestCmsisPack)
#include "tst_cmsispack.moc"
