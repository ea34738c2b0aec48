// SPDX-License-Identifier: Apache-2.0
#pragma once
// A Zephyr board file and two overlays, read in order as Zephyr's build reads BOARD.dts and
// DTC_OVERLAY_FILE: tst_dtstools judges Flashplan's reading of them by dtc, tst_cli reads them through
// flashplan-cli import/convert/validate.

namespace overlays {

/// 1 MiB of 4 KiB sectors: boot, two 448 KiB slots, a 32 KiB storage partition sized by the board's macro.
inline const char* const kBoard = R"(/dts-v1/;
#define STORAGE_SIZE 0x8000
/ {
	model = "Overlay test board";
	compatible = "acme,overlay-test";
	chosen { zephyr,code-partition = &slot0_partition; };
	soc {
		#address-cells = <1>;
		#size-cells = <1>;
		flash0: flash@0 {
			compatible = "soc-nv-flash";
			reg = <0x0 0x100000>;
			erase-block-size = <4096>;
			write-block-size = <4>;
			partitions {
				compatible = "fixed-partitions";
				#address-cells = <1>;
				#size-cells = <1>;
				boot_partition: partition@0 { reg = <0x0 0x10000>; };
				slot0_partition: partition@10000 { reg = <0x10000 0x70000>; };
				slot1_partition: partition@80000 { reg = <0x80000 0x70000>; };
				storage_partition: partition@f8000 { reg = <0xf8000 STORAGE_SIZE>; };
			};
		};
	};
};
)";

/// Deletes the board's storage partition and adds a 64 KiB one with the board's macro.
inline const char* const kStorage = R"(&flash0 {
	partitions {
		/delete-node/ partition@f8000;
		lfs_partition: partition@f0000 { reg = <0xf0000 (STORAGE_SIZE * 2)>; };
	};
};
)";

/// Shrinks slot1 through its label, makes it read-only, and points the code partition at it.
inline const char* const kSlot = R"(&slot1_partition { reg = <0x80000 0x60000>; read-only; };
/ { chosen { zephyr,code-partition = &slot1_partition; }; };
)";

} // namespace overlays
