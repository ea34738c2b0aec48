// SPDX-License-Identifier: Apache-2.0
#include "boot/BootState.h"

namespace flashplan::mcuboot {

// boot_swap_type_multi() (bootutil_public.c) logs "Swap type: test|perm|revert|none".
std::string_view to_string(SwapType type) {
    switch (type) {
    case SwapType::None:
        return "none";
    case SwapType::Test:
        return "test";
    case SwapType::Perm:
        return "perm";
    case SwapType::Revert:
        return "revert";
    case SwapType::Fail:
        return "fail";
    case SwapType::Panic:
        return "panic";
    }
    return "unknown"; // a swap_info nibble of 0, which bootutil keeps as it is
}

std::string_view to_string(MagicState magic) {
    switch (magic) {
    case MagicState::Good:
        return "good";
    case MagicState::Bad:
        return "bad";
    case MagicState::Unset:
        return "unset";
    case MagicState::Any:
        return "any";
    case MagicState::NotGood:
        return "notgood";
    }
    return "bad";
}

std::string_view to_string(FlagState flag) {
    switch (flag) {
    case FlagState::Set:
        return "set";
    case FlagState::Bad:
        return "bad";
    case FlagState::Unset:
        return "unset";
    case FlagState::Any:
        return "any";
    }
    return "bad";
}

std::string_view to_string(SlotImage image) {
    switch (image) {
    case SlotImage::Valid:
        return "valid";
    case SlotImage::NoImage:
        return "no image";
    case SlotImage::NotBootable:
        return "not bootable";
    case SlotImage::Invalid:
        return "invalid";
    }
    return "invalid";
}

} // namespace flashplan::mcuboot
