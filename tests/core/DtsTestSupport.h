// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the devicetree suites share: files served from memory (ImportOptions::readFile) and a board file
// that has a bit of everything.

#include "io/Format.h"
#include "io/dts/DtsImporter.h"

#include <QtTest>

#include <filesystem>
#include <map>
#include <string>

namespace dtstest {

/// Files kept in memory, by normalised path; every other path is missing.
class VirtualFiles {
public:
    void add(const std::string& path, std::string text) {
        files_[std::filesystem::path(path).lexically_normal().string()] = std::move(text);
    }
    flashplan::ImportOptions options(std::vector<std::filesystem::path> includeDirs = {}) const {
        flashplan::ImportOptions o;
        o.includeDirs = std::move(includeDirs);
        o.readFile = [this](const std::filesystem::path& p) -> flashplan::Result<std::string> {
            const auto it = files_.find(p.lexically_normal().string());
            if (it == files_.end()) {
                flashplan::Error e = flashplan::makeError(flashplan::Errc::NotFound, "no such file");
                e.where.file = p.string();
                return e;
            }
            return it->second;
        };
        return o;
    }

private:
    std::map<std::string, std::string> files_;
};

inline flashplan::Result<flashplan::ImportResult> importDts(const std::string& text,
                                                            const std::string& fileName = "board.dts",
                                                            const flashplan::ImportOptions& options = {}) {
    return flashplan::DtsImporter().read(text, fileName, options);
}

/// A board in the shape of Zephyr's: SoC flash behind a flash controller, a SPI NOR on a SPI bus, macros,
/// a partition table on each, chosen entries.
inline const char* const kBoard = R"(/dts-v1/;
#include <mem.h>
#define STORAGE_SIZE DT_SIZE_K(32)

/ {
	model = "Acme test board";
	compatible = "acme,test-board";
	#address-cells = <1>;
	#size-cells = <1>;

	chosen {
		zephyr,flash = &flash0;
		zephyr,code-partition = &slot0_partition;
	};

	soc {
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;

		flash_controller: flash-controller@40022000 {
			compatible = "st,stm32-flash-controller";
			reg = <0x40022000 0x400>;
			#address-cells = <1>;
			#size-cells = <1>;
			ranges;

			flash0: flash@8000000 {
				compatible = "st,stm32-nv-flash", "soc-nv-flash";
				reg = <0x08000000 DT_SIZE_K(512)>;
				erase-block-size = <2048>;
				write-block-size = <8>;
			};
		};

		spi1: spi@40013000 {
			reg = <0x40013000 0x400>;
			#address-cells = <1>;
			#size-cells = <0>;

			mx25r64: mx25r6435f@0 {
				compatible = "jedec,spi-nor";
				reg = <0>;
				size = <DT_SIZE_M(64)>; /* 64 Mbit */
			};
		};
	};
};

&flash0 {
	partitions {
		compatible = "fixed-partitions";
		#address-cells = <1>;
		#size-cells = <1>;

		boot_partition: partition@0 {
			label = "mcuboot";
			reg = <0x00000000 DT_SIZE_K(64)>;
			read-only;
		};
		slot0_partition: partition@10000 {
			label = "image-0";
			reg = <0x00010000 (0x1000 * 96)>;
		};
		slot1_partition: partition@70000 {
			label = "image-1";
			reg = <0x00070000 0x60000>;
		};
		storage_partition: partition@d0000 {
			label = "storage";
			reg = <0x000d0000 STORAGE_SIZE>;
		};
	};
};

&mx25r64 {
	partitions {
		compatible = "fixed-partitions";
		#address-cells = <1>;
		#size-cells = <1>;

		lfs_partition: partition@0 {
			reg = <0x0 0x800000>;
		};
	};
};
)";

} // namespace dtstest
