// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts-v4/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts-v4/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts-v4/token/ERC20/extensions/ERC20Votes.sol";

/**
 * @title AttachV4Token
 * @notice Test-only votes token on OpenZeppelin Contracts 4.9 with its default block-number clock
 * (ERC-6372 `mode=blocknumber&from=default`), as many DAOs deployed before OpenZeppelin 5 have.
 * The attach tests deploy it under {AttachV4Governor}; never deployed by the platform.
 */
contract AttachV4Token is ERC20, ERC20Permit, ERC20Votes {
    /// @notice `recipients` and `amounts` have different lengths.
    error AttachV4TokenAllocationLengthMismatch(uint256 recipients, uint256 amounts);

    /**
     * @param name_ ERC-20 name, also the EIP-712 domain name used by permit.
     * @param symbol_ ERC-20 symbol.
     * @param recipients Holders of the whole supply.
     * @param amounts Amount for each recipient, in base units (18 decimals).
     */
    constructor(
        string memory name_,
        string memory symbol_,
        address[] memory recipients,
        uint256[] memory amounts
    ) ERC20(name_, symbol_) ERC20Permit(name_) {
        if (recipients.length != amounts.length) {
            revert AttachV4TokenAllocationLengthMismatch(recipients.length, amounts.length);
        }
        for (uint256 i = 0; i < recipients.length; ++i) {
            _mint(recipients[i], amounts[i]);
        }
    }

    function _afterTokenTransfer(address from, address to, uint256 amount) internal override(ERC20, ERC20Votes) {
        super._afterTokenTransfer(from, to, amount);
    }

    function _mint(address to, uint256 amount) internal override(ERC20, ERC20Votes) {
        super._mint(to, amount);
    }

    function _burn(address account, uint256 amount) internal override(ERC20, ERC20Votes) {
        super._burn(account, amount);
    }
}
